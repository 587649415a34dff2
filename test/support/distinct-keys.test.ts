// The bench's check that a read received every row once (bench/support/distinct-keys.ts): duplicates are counted
// once, keys that are not hex too, and the store grows past its first size.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DistinctKeys } from '../../bench/support/distinct-keys.js';

describe('DistinctKeys', () => {
  it('counts distinct sys_ids, a repeated one once, past the first 65,536', () => {
    const keys = Array.from({ length: 70_000 }, () => randomBytes(16).toString('hex'));
    const seen = new DistinctKeys();
    for (const k of keys) seen.add(k);
    expect(seen.size).toBe(70_000);
    seen.add(keys[123]!);
    seen.add(keys[69_999]!);
    expect(seen.size).toBe(70_000);
  });

  it('keeps keys that are not hex as they are', () => {
    const seen = new DistinctKeys();
    for (const k of ['INC0010001', 'INC0010001', 'ABCDEF0123456789', 'abcdef0123456789abcdef0123456789']) seen.add(k);
    expect(seen.size).toBe(3);
  });
});
