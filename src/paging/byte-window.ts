// The unread bytes of a page body in one contiguous buffer, and the spare storage that windows share.
//
// Why the spares: a window's storage lives as long as its page is read (a 6 MB page: ~100 chunks and many
// young-generation GCs), so V8 moves it to the old generation, where only a full GC frees it. A new storage per
// page left one such dead buffer behind every page, and full GCs come rarely (external memory must grow by 64 MB
// first): measured with `node --max-semi-space-size=2` (docs/paging.md, "Memory"), 100,000 incidents in pages of
// 2,000 left 10 MB of dead buffers (peak RSS 76 MB); with the storage handed from page to page, 4 MB (68 MB).

/** Spares kept at most: one per range of a 16-partition read, and no more than 4 MB in all. */
const MAX_SPARES = 16;
const MAX_SPARE_BYTES = 4 * 1024 * 1024;
/** A storage grown past this (a record with a field of tens of MB) is not kept for later. */
const MAX_KEPT_STORAGE = 1024 * 1024;
const MIN_STORAGE = 64 * 1024;
const EMPTY = Buffer.alloc(0);

const spares: Buffer[] = [];
let spareBytes = 0;
/** How storages were come by, for the test of reuse. */
export const windowStorage = { allocated: 0, reused: 0 };

/** A spare of at least `size` bytes, or a new buffer of twice `size` (at least 64 KB). */
function takeStorage(size: number): Buffer {
  for (let i = spares.length - 1; i >= 0; i--) {
    const spare = spares[i]!;
    if (spare.length < size) continue;
    spares.splice(i, 1);
    spareBytes -= spare.length;
    windowStorage.reused++;
    return spare;
  }
  windowStorage.allocated++;
  return Buffer.allocUnsafe(Math.max(size * 2, MIN_STORAGE));
}

function giveBack(storage: Buffer): void {
  if (storage.length > MAX_KEPT_STORAGE || spares.length >= MAX_SPARES || spareBytes + storage.length > MAX_SPARE_BYTES) return;
  spares.push(storage);
  spareBytes += storage.length;
}

/**
 * The unread bytes of the body in one contiguous buffer. Appending grows the storage by doubling, so a record that
 * arrives in many chunks is copied a bounded number of times in all (concatenating per chunk would copy it once per
 * chunk: quadratic). When everything before the new chunk was read, the chunk itself is the window (no copy).
 * `release()` hands the storage on to the next window: nothing may use the window or its `data` after it.
 */
export class ByteWindow {
  data: Buffer = EMPTY;
  private storage: Buffer | undefined;

  /** Drops the first `drop` bytes, appends `bytes`, and returns the new window. */
  append(bytes: Buffer, drop: number): Buffer {
    const unread = this.data.length - drop;
    if (unread <= 0) {
      this.release();
      this.data = bytes;
      return bytes;
    }
    const need = unread + bytes.length;
    if (this.storage !== undefined && this.data.buffer === this.storage.buffer && need <= this.storage.length) {
      if (drop > 0) this.storage.copyWithin(0, drop, this.data.length);
    } else {
      const grown = takeStorage(need);
      this.data.copy(grown, 0, drop);
      // The old storage is given back only after its bytes were copied out.
      this.release();
      this.storage = grown;
    }
    bytes.copy(this.storage, unread);
    this.data = this.storage.subarray(0, need);
    return this.data;
  }

  /** Gives the storage back for another window; `data` is emptied with it. */
  release(): void {
    if (this.storage !== undefined) giveBack(this.storage);
    this.storage = undefined;
    this.data = EMPTY;
  }
}
