// One table's rows in columns, with a sorted sys_id index (binary search for reads by sys_id and keyset paging).
import type { RecordValues } from '../query/types.js';
import { DateTimeColumn, DictionaryColumn, SysIdColumn, TextColumn, writeSysIdBytes, type Column } from './columns.js';
import type { FieldDef, TableDef } from './schema.js';

function columnFor(field: FieldDef): Column {
  // A column with a default mostly holds that one value: a dictionary column keeps it at one byte per row.
  if (field.default !== undefined && field.type !== 'glide_date_time' && field.type !== 'glide_date') return new DictionaryColumn();
  switch (field.type) {
    case 'glide_date_time':
    case 'glide_date':
      return new DateTimeColumn();
    case 'boolean':
    case 'choice':
    case 'reference':
    case 'integer':
    case 'decimal':
      return new DictionaryColumn();
    default:
      return new TextColumn();
  }
}

export class TableStore {
  readonly fieldByName: ReadonlyMap<string, FieldDef>;
  readonly sysIds: SysIdColumn;
  private readonly columns = new Map<string, Column>();
  private readonly columnList: { name: string; column: Column }[] = [];
  /** Number of row slots used (deleted rows keep their slot). */
  private slots = 0;
  private alive = new Uint8Array(16);
  private live = 0;
  /** Live slots sorted by sys_id. */
  private order = new Uint32Array(16);
  /** Live slots in insertion order; rebuilt lazily after a delete. */
  private insertionOrder: Uint32Array | undefined;
  private readonly keyScratch = new Uint8Array(16);
  /** Bumped by every write, so cached query results know when they are stale. */
  version = 0;
  /** Told the slot of every row updated or deleted (caches of a row's serialised form drop it). */
  private readonly rowWriteListeners: Array<(slot: number) => void> = [];

  constructor(
    readonly def: TableDef,
    readonly fields: readonly FieldDef[],
  ) {
    this.fieldByName = new Map(fields.map((fd) => [fd.name, fd]));
    this.sysIds = new SysIdColumn();
    for (const fd of fields) {
      const column = fd.name === 'sys_id' ? this.sysIds : columnFor(fd);
      this.columns.set(fd.name, column);
      this.columnList.push({ name: fd.name, column });
    }
  }

  get name(): string {
    return this.def.name;
  }

  get count(): number {
    return this.live;
  }

  /** Row slots used so far, deleted rows included: new rows get the next slots, so slots only grow. */
  get slotCount(): number {
    return this.slots;
  }

  isLive(slot: number): boolean {
    return this.alive[slot] === 1;
  }

  hasField(name: string): boolean {
    return this.fieldByName.has(name);
  }

  column(name: string): Column | undefined {
    return this.columns.get(name);
  }

  value(slot: number, field: string): string {
    const column = this.columns.get(field);
    return column ? column.get(slot) : '';
  }

  sysIdOf(slot: number): string {
    return this.sysIds.get(slot);
  }

  /** All stored fields of a row, in the table's field order. */
  record(slot: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, column } of this.columnList) out[name] = column.get(slot);
    return out;
  }

  /** Only the named direct fields (for query matching without building whole records). */
  partialRecord(slot: number, fields: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of fields) {
      const column = this.columns.get(name);
      if (column) out[name] = column.get(slot);
    }
    return out;
  }

  /** Slot of a sys_id, or -1. Expects 32 lowercase hex characters. */
  find(sysId: string): number {
    writeSysIdBytes(sysId, this.keyScratch, 0);
    const pos = this.lowerBound(this.keyScratch);
    return pos < this.live && this.sysIds.compareWith(this.order[pos], this.keyScratch) === 0 ? this.order[pos] : -1;
  }

  /** Position in the sys_id order of the first row whose sys_id is >= key. */
  lowerBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.live;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sysIds.compareWith(this.order[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of the first row whose sys_id is > key. */
  upperBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.live;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sysIds.compareWith(this.order[mid], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Live slots sorted by sys_id (a view: do not keep it across writes). */
  sysIdOrder(): Uint32Array {
    return this.order.subarray(0, this.live);
  }

  /** Live slots in insertion order (a view: do not keep it across writes). */
  liveSlots(): Uint32Array {
    if (this.live === this.slots) {
      if (!this.insertionOrder || this.insertionOrder.length !== this.slots) {
        const all = new Uint32Array(this.slots);
        for (let i = 0; i < all.length; i++) all[i] = i;
        this.insertionOrder = all;
      }
      return this.insertionOrder;
    }
    if (!this.insertionOrder || this.insertionOrder.length !== this.live) {
      const out = new Uint32Array(this.live);
      let n = 0;
      for (let s = 0; s < this.slots; s++) if (this.alive[s]) out[n++] = s;
      this.insertionOrder = out;
    }
    return this.insertionOrder;
  }

  /** Stores a row; `values.sys_id` must be a fresh 32-hex sys_id. Returns the slot. */
  insert(values: RecordValues): number {
    this.version++;
    const slot = this.allocate(1);
    for (const { name, column } of this.columnList) column.set(slot, values[name] ?? '');
    this.alive[slot] = 1;
    this.indexInsert(slot);
    return slot;
  }

  update(slot: number, values: RecordValues): void {
    this.version++;
    for (const [name, value] of Object.entries(values)) {
      if (name === 'sys_id') continue;
      this.columns.get(name)?.set(slot, value);
    }
    for (const listener of this.rowWriteListeners) listener(slot);
  }

  /** Calls `listener` with the slot of each row updated or deleted from now on (new rows get new slots). */
  onRowWrite(listener: (slot: number) => void): void {
    this.rowWriteListeners.push(listener);
  }

  delete(slot: number): void {
    if (!this.alive[slot]) return;
    this.version++;
    const pos = this.lowerBoundSlot(slot);
    this.order.copyWithin(pos, pos + 1, this.live);
    this.alive[slot] = 0;
    this.live--;
    this.insertionOrder = undefined;
    for (const listener of this.rowWriteListeners) listener(slot);
  }

  /**
   * Fast bulk load: reserves `n` slots and lets `fill` write each row straight into the columns,
   * then rebuilds the sys_id index once. `fill` must write a sys_id into every slot.
   */
  bulkAppend(n: number, fill: (slot: number, index: number) => void): void {
    this.version++;
    const first = this.allocate(n);
    for (let i = 0; i < n; i++) {
      fill(first + i, i);
      this.alive[first + i] = 1;
    }
    this.rebuildIndex();
  }

  private allocate(n: number): number {
    const first = this.slots;
    const capacity = first + n;
    if (this.alive.length < capacity) {
      const next = new Uint8Array(Math.max(capacity, this.alive.length * 2));
      next.set(this.alive);
      this.alive = next;
      const order = new Uint32Array(next.length);
      order.set(this.order.subarray(0, this.live));
      this.order = order;
    }
    for (const { column } of this.columnList) column.grow(capacity);
    this.slots = capacity;
    this.insertionOrder = undefined;
    return first;
  }

  private indexInsert(slot: number): void {
    const key = this.keyScratch;
    key.set(this.sysIds.bytes.subarray(slot * 16, slot * 16 + 16));
    const pos = this.lowerBound(key);
    this.order.copyWithin(pos + 1, pos, this.live);
    this.order[pos] = slot;
    this.live++;
  }

  private lowerBoundSlot(slot: number): number {
    const key = this.keyScratch;
    key.set(this.sysIds.bytes.subarray(slot * 16, slot * 16 + 16));
    return this.lowerBound(key);
  }

  /** Sorts all live slots by sys_id: numeric sort on the first 4 bytes, then exact order inside ties. */
  private rebuildIndex(): void {
    const bytes = this.sysIds.bytes;
    const live: number[] = [];
    for (let s = 0; s < this.slots; s++) if (this.alive[s]) live.push(s);
    this.live = live.length;
    let sorted: Uint32Array;
    if (this.slots < 2 ** 21) {
      const keys = new Float64Array(live.length);
      for (let i = 0; i < live.length; i++) {
        const b = live[i] * 16;
        const head = ((bytes[b] << 24) >>> 0) + (bytes[b + 1] << 16) + (bytes[b + 2] << 8) + bytes[b + 3];
        keys[i] = head * 2 ** 21 + live[i];
      }
      keys.sort();
      sorted = new Uint32Array(live.length);
      for (let i = 0; i < keys.length; i++) sorted[i] = keys[i] % 2 ** 21;
      // Rows sharing their first 4 bytes are rare; put each such run in exact order.
      for (let i = 1; i < sorted.length; i++) {
        let j = i;
        while (j > 0 && this.sysIds.compareRows(sorted[j - 1], sorted[j]) > 0) {
          const t = sorted[j];
          sorted[j] = sorted[j - 1];
          sorted[j - 1] = t;
          j--;
        }
      }
    } else {
      sorted = Uint32Array.from(live).sort((a, b) => this.sysIds.compareRows(a, b));
    }
    this.order = new Uint32Array(Math.max(this.alive.length, sorted.length));
    this.order.set(sorted);
  }
}
