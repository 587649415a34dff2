// The one way the runtime writes into a JSON value or a key=value collection built from outside input.
// A key of `__proto__`, `constructor` or `prototype` is never walked through nor written: assigning through
// them changes Object.prototype (or a class) for the whole process, after which every later operation
// misbehaves. Reads and writes touch own members only, never inherited ones.
import { ConnectorError } from '../errors.js';
import type { PathStep } from './json-path.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** A write refused because its path or name goes through a key that would reach a prototype. */
export class UnsafeKeyError extends ConnectorError {
  constructor(
    readonly key: string,
    where: string,
    what: string,
    operation?: string,
  ) {
    super({
      code: 'INVALID_PARAMETER',
      parameter: key,
      ...(operation !== undefined ? { operation } : {}),
      message: `${where}: '${key}' is not allowed as a ${what} (it would reach an object prototype)`,
    });
    this.name = 'UnsafeKeyError';
  }
}

/**
 * Throws UnsafeKeyError when `key` is one of the forbidden names. `where` starts the message (an operation,
 * a file and line), `what` says what the key is used as ("parameter name", "key").
 */
export function assertSafeKey(key: string, where: string, what = 'key', operation?: string): void {
  if (FORBIDDEN_KEYS.has(key)) throw new UnsafeKeyError(key, where, what, operation);
}

/** The own member `key` of an object, never an inherited one. */
export function ownMember(value: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Defines `key` as an own, ordinary member (never through a setter), after refusing forbidden keys. */
export function setOwnMember(target: Record<string, unknown>, key: string, value: unknown, where: string): void {
  assertSafeKey(key, where);
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A record without a prototype, for name=value collections read from outside (CLI pairs, form fields). */
export function nameValueRecord<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export type PathWriteFailure = 'missing' | 'not-container' | 'index-out-of-range';

/** Raised by writeAtPath when the path cannot be written; the caller turns it into its own message. */
export class PathWriteError extends Error {
  constructor(readonly reason: PathWriteFailure) {
    super(reason);
    this.name = 'PathWriteError';
  }
}

/**
 * Writes at `steps` (key and index steps only) inside `root`, creating missing objects for key steps, and returns
 * the value written. `update` receives the current value at the end of the path (undefined when absent).
 * Index steps may address an existing element or the one just past the end (an append); nothing further,
 * so a path like `[999999999]` cannot grow a huge sparse array.
 */
export function writeAtPath(root: object, steps: readonly PathStep[], update: (current: unknown) => unknown, where: string): void {
  for (const step of steps) if (step.type === 'key') assertSafeKey(step.name, where);
  let parent: object = root;
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i]!;
    const next = readStep(parent, step);
    if (next !== null && typeof next === 'object') {
      parent = next;
      continue;
    }
    if (step.type !== 'key' || Array.isArray(parent)) throw new PathWriteError('missing');
    const created = {};
    setOwnMember(parent as Record<string, unknown>, step.name, created, where);
    parent = created;
  }
  const last = steps[steps.length - 1];
  if (last === undefined) throw new PathWriteError('not-container');
  if (last.type === 'key' && !Array.isArray(parent)) {
    setOwnMember(parent as Record<string, unknown>, last.name, update(ownMember(parent, last.name)), where);
    return;
  }
  if (last.type === 'index' && Array.isArray(parent)) {
    const at = last.index < 0 ? parent.length + last.index : last.index;
    if (at < 0 || at > parent.length) throw new PathWriteError('index-out-of-range');
    parent[at] = update(parent[at]);
    return;
  }
  throw new PathWriteError('not-container');
}

function readStep(parent: object, step: PathStep): unknown {
  if (step.type === 'key') return Array.isArray(parent) ? undefined : ownMember(parent, step.name);
  if (step.type === 'index' && Array.isArray(parent)) return parent[step.index < 0 ? parent.length + step.index : step.index];
  return undefined;
}
