// Each record's JSON kept as UTF-8 bytes once it has been serialised, so a list page is the cached records sent as
// they are instead of 2,000 records rebuilt field by field into one big string and encoded again. Paging
// clients read the same full records over and over (every page of every read); building them was the simulator's
// main cost, and the multi-MB page strings its main garbage. Only outputs that depend on the row alone are cached
// (actual values, no dot-walked fields: see RecordSerializer.cacheKey); a row's entry is dropped when the row is
// updated or deleted. The bytes live outside the JS heap, in slabs, within a budget per table; past it, the cache
// starts over. Each record is written with a comma after it, so records serialised one after another (a page's rows,
// the first time they are read) are one contiguous, comma-separated run of a slab: a later page over the same rows is
// sent as a few slices of slabs, with no page-sized copy (joining 4,000 small parts per page, and the GC pressure of a
// fresh 6 MB buffer per page, were the simulator's main costs while serving keyset reads).
import type { TableStore } from '../store/table-store.js';

/** Bytes of serialised records kept per table (about 330,000 full incident records). */
export const RECORD_CACHE_BYTES = 1024 * 1024 * 1024;
const SLAB_BYTES = 4 * 1024 * 1024;

const caches = new WeakMap<TableStore, RecordCache>();

/** The cache of `table`'s records for the output shape `key`; one shape per table (a new shape starts it over). */
export function recordCache(table: TableStore, key: string): RecordCache {
  let cache = caches.get(table);
  if (!cache) {
    cache = new RecordCache();
    const created = cache;
    table.onRowWrite((slot) => created.drop(slot));
    caches.set(table, cache);
  }
  if (cache.key !== key) cache.reset(key);
  return cache;
}

export class RecordCache {
  key = '';
  private entries: Array<Buffer | undefined> = [];
  private slab: Buffer | undefined;
  private slabUsed = 0;
  private bytes = 0;

  reset(key: string): void {
    this.key = key;
    this.entries = [];
    this.slab = undefined;
    this.slabUsed = 0;
    this.bytes = 0;
  }

  drop(slot: number): void {
    this.entries[slot] = undefined;
  }

  /** The record's JSON bytes, serialising (and keeping) it on first use. */
  get(slot: number, serialise: (slot: number) => string): Buffer {
    const hit = this.entries[slot];
    if (hit !== undefined) return hit;
    const json = serialise(slot);
    const length = Buffer.byteLength(json, 'utf8');
    if (length > SLAB_BYTES / 4) return Buffer.from(json, 'utf8');
    // The record and its trailing comma.
    if (this.slab === undefined || this.slabUsed + length + 1 > this.slab.length) {
      if (this.bytes + SLAB_BYTES > RECORD_CACHE_BYTES) this.reset(this.key);
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.slabUsed = 0;
      this.bytes += SLAB_BYTES;
    }
    const at = this.slabUsed;
    this.slab.write(json, at, 'utf8');
    this.slab[at + length] = COMMA;
    this.slabUsed += length + 1;
    const bytes = this.slab.subarray(at, at + length);
    this.entries[slot] = bytes;
    return bytes;
  }

  /**
   * The records of `slots` as comma-separated JSON, in as few byte runs as their places in the slabs allow:
   * neighbours in a slab (a record's bytes start just after the previous one's comma) share one slice.
   */
  join(slots: readonly number[], serialise: (slot: number) => string): Buffer[] {
    const runs: Buffer[] = [];
    let run: Buffer | undefined;
    let runEnd = 0;
    for (let i = 0; i < slots.length; i++) {
      const bytes = this.get(slots[i]!, serialise);
      if (run !== undefined && bytes.buffer === run.buffer && bytes.byteOffset === runEnd + 1) {
        runEnd = bytes.byteOffset + bytes.length;
        continue;
      }
      if (run !== undefined) runs.push(slice(run, runEnd), COMMA_BYTES);
      run = bytes;
      runEnd = bytes.byteOffset + bytes.length;
    }
    if (run !== undefined) runs.push(slice(run, runEnd));
    return runs;
  }
}

const COMMA = 0x2c;
const COMMA_BYTES = Buffer.from(',');

/** `first`'s bytes through the byte offset `end` of the same memory (a run of neighbouring records). */
function slice(first: Buffer, end: number): Buffer {
  return end === first.byteOffset + first.length ? first : Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
