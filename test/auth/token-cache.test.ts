// The token cache's renewal margin: a token is replaced a quarter of its lifetime (at most a minute) before it
// expires, so no request leaves with a token about to run out. Driven by a token source and the clock (Date only).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenCache, refreshMarginMs, type IssuedToken } from '../../src/auth/index.js';

const T0 = Date.UTC(2026, 0, 1);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

function cacheIssuing(expiresInSec: number): { cache: TokenCache; issued: () => number } {
  let n = 0;
  const cache = new TokenCache(async (): Promise<IssuedToken> => ({ accessToken: `token-${++n}`, expiresInSec }));
  return { cache, issued: () => n };
}

describe('token renewal margin', () => {
  it('is a quarter of the lifetime, at most a minute', () => {
    expect(refreshMarginMs(100_000)).toBe(25_000);
    expect(refreshMarginMs(3_600_000)).toBe(60_000);
  });

  it('renews a 100 s token after 75 s, not at its expiry', async () => {
    const { cache, issued } = cacheIssuing(100);
    expect(await cache.authorization()).toBe('Bearer token-1');
    vi.setSystemTime(T0 + 74_900);
    expect(await cache.authorization()).toBe('Bearer token-1');
    vi.setSystemTime(T0 + 75_100);
    expect(await cache.authorization()).toBe('Bearer token-2');
    expect(issued()).toBe(2);
  });

  it('renews a one-hour token one minute before it expires', async () => {
    const { cache } = cacheIssuing(3600);
    await cache.authorization();
    vi.setSystemTime(T0 + 3_539_000);
    expect(await cache.authorization()).toBe('Bearer token-1');
    vi.setSystemTime(T0 + 3_541_000);
    expect(await cache.authorization()).toBe('Bearer token-2');
  });
});
