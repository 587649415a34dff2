// The key ranges of a partitioned read, and the query conditions that keep a keyset read inside one.
import type { KeyRange } from './types.js';

/**
 * N contiguous half-open ranges covering every text: [-, b1), [b1, b2), ..., [b(N-1), -), where bi is i/N of the
 * way through the key space, written with `length` digits. Bounds are distinct and ascending (N is capped by the
 * key space's size), so a key is in exactly one range whatever its characters.
 */
export function keyRanges(space: { digits: string; length: number }, n: number): KeyRange[] {
  const base = BigInt(space.digits.length);
  const size = base ** BigInt(space.length);
  const count = BigInt(n) > size ? Number(size) : n;
  const bounds: string[] = [];
  for (let i = 1; i < count; i++) bounds.push(writeKey((size * BigInt(i)) / BigInt(count), space));
  const ranges: KeyRange[] = [];
  for (let i = 0; i < count; i++) {
    const range: KeyRange = {};
    if (i > 0) range.from = bounds[i - 1]!;
    if (i < count - 1) range.to = bounds[i]!;
    ranges.push(range);
  }
  return ranges;
}

function writeKey(value: bigint, space: { digits: string; length: number }): string {
  const base = BigInt(space.digits.length);
  let out = '';
  for (let i = 0; i < space.length; i++) {
    out = space.digits[Number(value % base)]! + out;
    value /= base;
  }
  return out;
}

/** The query conditions keeping a keyset read inside its range (key>=from, key<to). */
export function keyRangeTerms(keyField: string, range: KeyRange | undefined): string[] {
  const terms: string[] = [];
  if (range?.from !== undefined) terms.push(`${keyField}>=${range.from}`);
  if (range?.to !== undefined) terms.push(`${keyField}<${range.to}`);
  return terms;
}
