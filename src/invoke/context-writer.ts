// Writes an invocation's outcome into the MessageContext, the way Synapse connectors do: the payload,
// HTTP_SC in the axis2 scope, the response headers as transport headers, and a few documented properties.
import type { MessageContext } from '../context/index.js';
import { isConnectorError, type ConnectorError } from '../errors.js';
import { redactText } from '../logger.js';
import { DeferredPayloadResult } from './deferred-payload.js';
import type { InvokeResult } from './types.js';

/** Names of the properties an invocation sets in the default scope (documented in docs/catalogue-format.md). */
export const RESULT_PROPERTIES = {
  status: 'snconnect.status',
  totalCount: 'snconnect.totalCount',
  nextLink: 'snconnect.nextLink',
} as const;

export function writeResult(ctx: MessageContext, result: InvokeResult, overwriteBody: boolean): void {
  if (overwriteBody) {
    // A deferred result's body is parsed when the flow first reads the payload; a plain one's value is set as it is.
    if (result instanceof DeferredPayloadResult) ctx.setPayloadAsReceived(() => result.payload);
    else ctx.payload = result.payload;
    ctx.contentType = 'application/json';
  }
  ctx.setProperty('HTTP_SC', result.status, 'axis2');
  ctx.setProperty(RESULT_PROPERTIES.status, result.status);
  setOrRemove(ctx, RESULT_PROPERTIES.totalCount, result.totalCount);
  setOrRemove(ctx, RESULT_PROPERTIES.nextLink, result.nextLink);
  // The response's headers replace the request's, as in Synapse after a call.
  for (const name of [...ctx.transportHeaders().keys()]) ctx.removeHeader(name);
  for (const name in result.headers) ctx.setHeader(name, result.headers[name]!);
}

/** A failure that is not a ConnectorError (a bug) is reported as INTERNAL_ERROR. */
export function writeError(ctx: MessageContext, err: ConnectorError | Error): void {
  const known = isConnectorError(err);
  ctx.setProperty('ERROR_CODE', known ? err.code : 'INTERNAL_ERROR');
  ctx.setProperty('ERROR_MESSAGE', known ? err.message : redactText(err.message));
  ctx.setProperty('ERROR_DETAIL', known ? (err.detail ?? '') : '');
  if (known && err.status !== undefined) {
    ctx.setProperty('HTTP_SC', err.status, 'axis2');
    ctx.setProperty(RESULT_PROPERTIES.status, err.status);
  }
}

function setOrRemove(ctx: MessageContext, name: string, value: unknown): void {
  if (value === undefined) ctx.removeProperty(name);
  else ctx.setProperty(name, value);
}
