// Defaults of the switchable behaviours and how a partial change is merged and checked.
import { FAULT_KINDS, type BehaviourChange, type FaultKind, type SimulatorBehaviour } from './types.js';

export function defaultBehaviour(): SimulatorBehaviour {
  return {
    faults: {},
    nextFaults: [],
    faultPathPattern: '^/api/',
    latency: { fixedMs: 0, jitterMs: 0, perRowMs: 0 },
    maxConcurrent: 0,
    maxQueued: 50,
    rateLimit: null,
    aclHideRate: 0.25,
    aclScope: 'restricted',
    invalidQueryReturnsNoRows: false,
    caretEscape: true,
    totalCountWithNoCount: false,
    groupDisplayValueWithAll: true,
    linkOnSinglePage: true,
    prevOnFirstPage: true,
    wwwAuthenticate: true,
    accessTokenLifetimeSeconds: 1799,
    refreshTokenLifetimeSeconds: 8_640_000,
    rotateRefreshTokens: false,
    defaultPageLimit: 10_000,
    importMultipleSynchronous: false,
  };
}

/** Thrown for a behaviour change that makes no sense (rate outside 0..1, unknown fault...). */
export class BehaviourError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BehaviourError';
  }
}

/** Returns a new behaviour with `change` applied; nested objects (faults, latency, rateLimit) are merged. */
export function mergeBehaviour(current: SimulatorBehaviour, change: BehaviourChange): SimulatorBehaviour {
  if (change === null || typeof change !== 'object') throw new BehaviourError('behaviour must be an object');
  const known = new Set(Object.keys(current));
  for (const key of Object.keys(change)) if (!known.has(key)) throw new BehaviourError(`unknown behaviour '${key}'`);
  const next = { ...current, ...change } as SimulatorBehaviour;
  if (change.faults) {
    for (const [kind, rate] of Object.entries(change.faults)) {
      if (!FAULT_KINDS.includes(kind as FaultKind)) throw new BehaviourError(`unknown fault '${kind}' (known: ${FAULT_KINDS.join(', ')})`);
      checkShare(`faults.${kind}`, rate);
    }
    next.faults = { ...current.faults, ...change.faults };
  }
  if (change.latency) next.latency = { ...current.latency, ...change.latency };
  if (change.rateLimit === null) next.rateLimit = null;
  else if (change.rateLimit) {
    const defaults = { limit: 100, windowMs: 1000, rule: 'snconnect-simulator', omitRetryAfter: false, retryAfterAsDate: false };
    next.rateLimit = { ...defaults, ...(current.rateLimit ?? {}), ...change.rateLimit };
    if (!(next.rateLimit.limit >= 1) || !(next.rateLimit.windowMs >= 1)) throw new BehaviourError('rateLimit needs limit >= 1 and windowMs >= 1');
  }
  if (change.nextFaults) {
    if (!Array.isArray(change.nextFaults)) throw new BehaviourError('nextFaults must be an array');
    for (const kind of change.nextFaults) if (kind !== 'none' && !FAULT_KINDS.includes(kind)) throw new BehaviourError(`unknown fault '${String(kind)}'`);
    next.nextFaults = [...change.nextFaults];
  }
  if (change.faultPathPattern !== undefined) {
    try {
      new RegExp(change.faultPathPattern);
    } catch {
      throw new BehaviourError('faultPathPattern is not a valid regular expression');
    }
  }
  checkShare('aclHideRate', next.aclHideRate);
  if (!['restricted', 'all', 'off'].includes(next.aclScope)) throw new BehaviourError("aclScope must be 'restricted', 'all' or 'off'");
  if (!(next.latency.fixedMs >= 0) || !(next.latency.jitterMs >= 0) || !(next.latency.perRowMs >= 0)) throw new BehaviourError('latency must be >= 0');
  if (!Number.isInteger(next.maxConcurrent) || next.maxConcurrent < 0) throw new BehaviourError('maxConcurrent must be a whole number >= 0 (0 = unlimited)');
  if (!Number.isInteger(next.maxQueued) || next.maxQueued < 0) throw new BehaviourError('maxQueued must be a whole number >= 0');
  if (!(next.accessTokenLifetimeSeconds > 0) || !(next.refreshTokenLifetimeSeconds > 0)) throw new BehaviourError('token lifetimes must be > 0');
  if (!(next.defaultPageLimit >= 1)) throw new BehaviourError('defaultPageLimit must be >= 1');
  return next;
}

function checkShare(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new BehaviourError(`${name} must be a number between 0 and 1`);
}
