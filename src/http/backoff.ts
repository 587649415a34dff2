// Waiting between attempts: exponential backoff with full jitter, or the server's Retry-After.
import { Cancellation } from '../cancellation.js';

/** Full jitter: a uniform random wait in [0, min(cap, initial * 2^retryIndex)]. */
export function backoffDelay(retryIndex: number, initialMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, initialMs * 2 ** retryIndex);
  return Math.floor(Math.random() * ceiling);
}

/**
 * Retry-After as milliseconds: delta-seconds ("120") or an HTTP date. Undefined when absent or
 * unreadable, so the caller falls back to backoff instead of trusting garbage.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP date format starts with a day name; without this check Date.parse takes "-1" as a year.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** A wait that ends early, with the signal's reason, when the operation is aborted. */
export function sleep(ms: number, signal: AbortSignal | Cancellation): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      if (signal instanceof Cancellation) signal.off('abort', onAbort);
      else signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal instanceof Cancellation) signal.once('abort', onAbort);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * X-RateLimit-Reset (epoch seconds) as a wait in ms: ServiceNow's rate limit rules send it, and it is the
 * only hint left when a 429 comes without Retry-After. Undefined when absent, unreadable or in the past.
 */
export function parseRateLimitReset(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const wait = Number(value.trim()) * 1000 - now;
  return wait > 0 ? wait : undefined;
}
