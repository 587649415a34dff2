import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRateLimitReset, parseRetryAfter } from '../../src/http/backoff.js';
import { requestTarget } from '../../src/http/request-target.js';

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date, and a date in the past means now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read, so backoff applies instead', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });

  it('falls back to X-RateLimit-Reset (epoch seconds) when it lies ahead', () => {
    expect(parseRateLimitReset(String(now / 1000 + 2), now)).toBe(2000);
    expect(parseRateLimitReset(String(now / 1000 - 2), now)).toBeUndefined();
    expect(parseRateLimitReset('x', now)).toBeUndefined();
  });
});

describe('backoff with full jitter', () => {
  it('stays within [0, min(cap, initial * 2^n)]', () => {
    for (let n = 0; n < 8; n++) {
      const ceiling = Math.min(1000, 50 * 2 ** n);
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(n, 50, 1000);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('spreads the waits (jitter), so synchronized clients do not retry in lockstep', () => {
    const waits = new Set(Array.from({ length: 50 }, () => backoffDelay(4, 100, 10_000)));
    expect(waits.size).toBeGreaterThan(10);
  });
});

describe('request target', () => {
  it('encodes every query name and value, so a value cannot add a parameter', () => {
    expect(requestTarget('', '/api/now/table/incident', [['sysparm_query', 'short_description=a&sysparm_limit=1'], ['x y', 'é#']])).toBe(
      '/api/now/table/incident?sysparm_query=short_description%3Da%26sysparm_limit%3D1&x%20y=%C3%A9%23',
    );
  });

  it('keeps a base path of the instance URL and leaves an empty query out', () => {
    expect(requestTarget('/sn', '/api/now/table/incident', [])).toBe('/sn/api/now/table/incident');
  });
});
