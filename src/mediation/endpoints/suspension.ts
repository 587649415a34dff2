// Circuit breaking as WSO2 documents it for endpoints. A failure whose code is listed in <markForSuspension> puts
// the endpoint "in timeout": it may fail retriesBeforeSuspension more times (each retry no sooner than retryDelay)
// before it is suspended. Any other failure (or one listed in <suspendOnFailure>) suspends it at once, for
// initialDuration, then progressionFactor times longer on each further suspension, up to maximumDuration. While
// suspended, a call fails at once with 303001 and nothing is sent; the first call after that tries the back end
// again, and a success makes the endpoint active again with its counters reset.
import type { EndpointDefinition } from './definition.js';

export interface SuspensionPolicy {
  /** Codes that suspend at once; undefined: every failure code not listed in markCodes. */
  suspendCodes?: ReadonlySet<string>;
  initialMs: number;
  progressionFactor: number;
  maxMs: number;
  /** Codes that first put the endpoint in timeout (default: 101504, a timeout). */
  markCodes: ReadonlySet<string>;
  retriesBeforeSuspension: number;
  retryDelayMs: number;
}

/** Synapse's code for "the endpoint is not ready" (suspended, or in timeout within its retry delay). */
export const ENDPOINT_NOT_READY = '303001';

interface EndpointState {
  /** Time the endpoint may be called again; 0 when active. */
  readyAt: number;
  /** Failures in timeout state since the last success. */
  timeoutFailures: number;
  /** Suspensions in a row, for the progression factor. */
  suspensions: number;
}

// Per definition object: a named endpoint is one object for the whole server, so its state is shared by every flow
// and message that calls it (as in MI); an inline endpoint has its own.
const states = new WeakMap<EndpointDefinition, EndpointState>();

/** Milliseconds until the endpoint may be called again, or 0 when it may be called now. */
export function notReadyFor(ep: EndpointDefinition, now = Date.now()): number {
  const state = states.get(ep);
  return state && state.readyAt > now ? state.readyAt - now : 0;
}

export function recordSuccess(ep: EndpointDefinition): void {
  states.delete(ep);
}

/** Records a failure with its Synapse code; returns what became of the endpoint, for the log. */
export function recordFailure(ep: EndpointDefinition, code: string, now = Date.now()): 'suspended' | 'timeout' | 'unchanged' {
  const policy = ep.suspension;
  if (!policy) return 'unchanged';
  const state = states.get(ep) ?? { readyAt: 0, timeoutFailures: 0, suspensions: 0 };
  states.set(ep, state);
  if (policy.markCodes.has(code)) {
    state.timeoutFailures++;
    if (state.timeoutFailures <= policy.retriesBeforeSuspension) {
      state.readyAt = now + policy.retryDelayMs;
      return 'timeout';
    }
  } else if (policy.suspendCodes && !policy.suspendCodes.has(code)) {
    return 'unchanged';
  }
  const duration = Math.min(policy.initialMs * policy.progressionFactor ** state.suspensions, policy.maxMs);
  state.suspensions++;
  state.timeoutFailures = 0;
  state.readyAt = now + duration;
  return 'suspended';
}
