// A call to any endpoint: a leaf goes to endpoint-call.ts; a `<failover>` or `<loadbalance>` group picks a child
// that is ready (not suspended, not waiting out a retry delay) and sends the message there, and when that child
// gets no answer and its failure is one to retry (its <retryConfig>), tries the next ready one, as Synapse's
// FailoverEndpoint / LoadbalanceEndpoint do. A child's failure counts for its own circuit breaking first, so a
// suspended child is skipped by the next messages until its suspension ends.
import { ConnectorError } from '../../errors.js';
import type { MessageContext } from '../../context/index.js';
import type { Logger } from '../../logger.js';
import type { AnyEndpoint, EndpointDefinition } from './definition.js';
import { callEndpoint, EndpointError } from './endpoint-call.js';
import type { EndpointGroup } from './group-definition.js';
import { notReadyFor } from './suspension.js';

/** Synapse's ENDPOINT_FO_NONE_READY / ENDPOINT_LB_NONE_READY: no child of a group can be called. */
export const GROUP_NONE_READY = '303000';
/** Groups nest (a failover of load balancers ...); a deeper chain is a reference cycle. */
const MAX_DEPTH = 16;

export type ResolveEndpoint = (key: string) => AnyEndpoint | undefined;

/** Round-robin position per load-balance group (a named group is one object for the whole server). */
const nextIndex = new WeakMap<EndpointGroup, number>();
/** `<failover dynamic="false">`: the child in use until it fails. */
const current = new WeakMap<EndpointGroup, number>();

function childOf(group: EndpointGroup, i: number, resolve: ResolveEndpoint): AnyEndpoint {
  const c = group.children[i]!;
  if (!('key' in c)) return c;
  const ep = resolve(c.key);
  if (!ep) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${group.file}:${c.line}: endpoint '${group.name}' names no <endpoint> '${c.key}'` });
  return ep;
}

/** Whether an endpoint may be called now: a leaf that is not suspended, a group with such a child. */
function ready(ep: AnyEndpoint, resolve: ResolveEndpoint, depth = 0): boolean {
  if (!('group' in ep)) return notReadyFor(ep) === 0;
  if (depth > MAX_DEPTH) return false;
  return ep.children.some((_c, i) => ready(childOf(ep, i, resolve), resolve, depth + 1));
}

/** Synapse's isRetry: a failure listed in the child's disabledErrorCodes (or missing from its enabledErrorCodes) stops the group. */
function mayTryAnother(ep: AnyEndpoint, code: string): boolean {
  if ('group' in ep || !ep.retry) return true;
  if (ep.retry.disabledCodes) return !ep.retry.disabledCodes.has(code);
  if (ep.retry.enabledCodes) return ep.retry.enabledCodes.has(code);
  return true;
}

/** How often one message may be sent to a child: once, plus the retries its markForSuspension allows. */
function attemptsFor(ep: AnyEndpoint): number {
  return 'group' in ep ? 1 : 1 + ((ep as EndpointDefinition).suspension?.retriesBeforeSuspension ?? 0);
}

/** Calls the endpoint (leaf or group); 'discarded' as callEndpoint (a timeout with responseAction discard). */
export async function callAnyEndpoint(ep: AnyEndpoint, ctx: MessageContext, logger: Logger, resolve: ResolveEndpoint, depth = 0): Promise<'answered' | 'discarded'> {
  if (!('group' in ep)) return callEndpoint(ep, ctx, logger);
  if (depth > MAX_DEPTH) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${ep.file}:${ep.line}: endpoint '${ep.name}' refers to itself through its children` });
  const attempts = new Map<number, number>();
  let lastError: EndpointError | undefined;
  for (;;) {
    const i = pick(ep, resolve, attempts);
    if (i === undefined) {
      // As Synapse: after a child failed, its fault (ERROR_CODE and all) is the call's; else 303000.
      if (lastError) throw lastError;
      throw new EndpointError(GROUP_NONE_READY, { code: 'CONNECTION_ERROR', message: `${ep.group === 'failover' ? 'failover' : 'load-balance'} endpoint '${ep.name}': no ready child endpoints`, retryable: true });
    }
    const child = childOf(ep, i, resolve);
    attempts.set(i, (attempts.get(i) ?? 0) + 1);
    try {
      const outcome = await callAnyEndpoint(child, ctx, logger, resolve, depth + 1);
      if (ep.sticky) current.set(ep, i);
      return outcome;
    } catch (err) {
      if (!(err instanceof EndpointError)) throw err;
      lastError = err;
      if (ep.noFailover || !mayTryAnother(child, err.synapseCode)) throw err;
      logger.log('warn', `${ep.group} endpoint '${ep.name}': child endpoint '${child.name}' failed (${err.synapseCode}); trying the next ready one`);
      if (ep.sticky) current.delete(ep);
    }
  }
}

/** The child to send to: ready, and not yet sent this message as often as it may be. */
function pick(ep: EndpointGroup, resolve: ResolveEndpoint, attempts: Map<number, number>): number | undefined {
  const n = ep.children.length;
  const usable = (i: number): boolean => {
    const child = childOf(ep, i, resolve);
    return (attempts.get(i) ?? 0) < attemptsFor(child) && ready(child, resolve);
  };
  if (ep.group === 'failover') {
    const stay = ep.sticky ? current.get(ep) : undefined;
    if (stay !== undefined && usable(stay)) return stay;
    for (let i = 0; i < n; i++) if (usable(i)) return i;
    return undefined;
  }
  const start = nextIndex.get(ep) ?? 0;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    if (usable(i)) {
      nextIndex.set(ep, (i + 1) % n);
      return i;
    }
  }
  return undefined;
}
