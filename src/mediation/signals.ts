// Ways a flow ends early. They are thrown so that they unwind nested sequences, foreach and templates.
import { ConnectorError, isConnectorError } from '../errors.js';
import type { MessageContext } from '../context/index.js';
import type { Where } from './model.js';

/** `<drop/>` or `<respond/>`: the flow ends normally, without running the rest. */
export class FlowStop {
  constructor(
    readonly reason: 'drop' | 'respond',
    /** The message that answers (`respond`): a split or aggregated message may answer for the request. */
    readonly context?: MessageContext,
  ) {}
}

/** A fault that a fault sequence (onError) has already handled; outer sequences must not handle it again. */
export class HandledFault {
  constructor(
    readonly error: ConnectorError,
    /** How the fault sequence ended the flow, when it did (`<respond/>` answers the client of a served flow). */
    readonly stop?: 'drop' | 'respond',
    /** The message the fault sequence answered with. */
    readonly context?: MessageContext,
  ) {}
}

/** Any failure as a ConnectorError; errors that are not the connector's are reported with the mediator's place. */
export function asConnectorError(err: unknown, at?: Where & { label?: string }): ConnectorError {
  if (isConnectorError(err)) return err;
  const where = at ? `${at.file}:${at.line}: ${at.label ? `${at.label}: ` : ''}` : '';
  const message = err instanceof Error ? err.message : String(err);
  return new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${where}${message}`, cause: err });
}

/** What a fault sequence sees, as in Synapse: ERROR_CODE, ERROR_MESSAGE, ERROR_DETAIL (from ConnectorError.toJSON()). */
export function setErrorProperties(ctx: MessageContext, error: ConnectorError): void {
  const json = error.toJSON();
  // An endpoint call that got no answer carries Synapse's numeric code (101503 ...), which MI fault sequences test.
  const synapseCode = (error as { synapseCode?: unknown }).synapseCode;
  ctx.setProperty('ERROR_CODE', typeof synapseCode === 'string' ? synapseCode : json.code);
  ctx.setProperty('ERROR_MESSAGE', json.message);
  ctx.setProperty('ERROR_DETAIL', json.detail ?? '');
  if (json.status !== undefined) ctx.setProperty('ERROR_STATUS', json.status);
  if (json.operation !== undefined) ctx.setProperty('ERROR_OPERATION', json.operation);
}
