// Each record's JSON kept as UTF-8 bytes once it has been serialised, so a list page is the cached records joined
// (one memory copy) instead of 2,000 records rebuilt field by field into one big string and encoded again. Paging
// clients read the same full records over and over (every page of every read); building them was the simulator's
// main cost, and the multi-MB page strings its main garbage. Only outputs that depend on the row alone are cached
// (actual values, no dot-walked fields: see RecordSerializer.cacheKey); a row's entry is dropped when the row is
// updated or deleted. The bytes live outside the JS heap, in slabs, within a budget per table; past it, the cache
// starts over.
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
    if (this.slab === undefined || this.slabUsed + length > this.slab.length) {
      if (this.bytes + SLAB_BYTES > RECORD_CACHE_BYTES) this.reset(this.key);
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.slabUsed = 0;
      this.bytes += SLAB_BYTES;
    }
    const bytes = this.slab.subarray(this.slabUsed, this.slabUsed + length);
    this.slab.write(json, this.slabUsed, 'utf8');
    this.slabUsed += length;
    this.entries[slot] = bytes;
    return bytes;
  }
}
