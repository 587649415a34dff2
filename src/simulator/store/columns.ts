// Column storage: one column per field, values packed into typed arrays where that pays off, so that a
// million-row table stays small and invisible to the garbage collector. Every column reads and writes strings.
import { formatGlideDateTime, parseGlideDateTime } from '../time.js';

export interface Column {
  get(row: number): string;
  set(row: number, value: string): void;
  /** Make room for rows [0, capacity). */
  grow(capacity: number): void;
}

function grown<T extends Uint8Array | Uint32Array | Float64Array>(old: T, capacity: number, make: (n: number) => T): T {
  if (old.length >= capacity) return old;
  const next = make(Math.max(capacity, old.length * 2, 16));
  next.set(old);
  return next;
}

/**
 * Few distinct values (choices, booleans, references, small integers): a dictionary plus a code per row. Codes take
 * one byte per row until the dictionary outgrows it, then two, then four: a million-row table with ninety columns
 * stays around a hundred megabytes.
 */
export class DictionaryColumn implements Column {
  private codes: Uint8Array | Uint16Array | Uint32Array = new Uint8Array(16);
  private readonly values: string[] = [''];
  private readonly codeOf = new Map<string, number>([['', 0]]);

  get(row: number): string {
    return this.values[this.codes[row]];
  }

  set(row: number, value: string): void {
    let code = this.codeOf.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codeOf.set(value, code);
      if (code === 256 && this.codes instanceof Uint8Array) this.codes = Uint16Array.from(this.codes);
      else if (code === 65_536 && this.codes instanceof Uint16Array) this.codes = Uint32Array.from(this.codes);
    }
    this.codes[row] = code;
  }

  grow(capacity: number): void {
    if (this.codes.length >= capacity) return;
    const size = Math.max(capacity, this.codes.length * 2, 16);
    const next = this.codes instanceof Uint8Array ? new Uint8Array(size) : this.codes instanceof Uint16Array ? new Uint16Array(size) : new Uint32Array(size);
    next.set(this.codes);
    this.codes = next;
  }
}

/** Free text: the strings themselves (generated rows share strings from a small pool). */
export class TextColumn implements Column {
  private readonly values: string[] = [];

  get(row: number): string {
    return this.values[row] ?? '';
  }

  set(row: number, value: string): void {
    while (this.values.length < row) this.values.push('');
    this.values[row] = value;
  }

  grow(_capacity: number): void {}
}

/**
 * Date-times as epoch seconds; text that is not a valid date-time is kept aside as it was given. The array is only
 * allocated once a row holds a date: most date columns of generated rows (closed_at, sla_due...) stay empty and
 * cost nothing.
 */
export class DateTimeColumn implements Column {
  private seconds = new Float64Array(0);
  /** Rows the table has room for; `seconds` catches up on the first real value. */
  private capacity = 16;
  private readonly odd = new Map<number, string>();

  get(row: number): string {
    const s = row < this.seconds.length ? this.seconds[row] : NaN;
    if (Number.isNaN(s)) return this.odd.get(row) ?? '';
    return formatGlideDateTime(s);
  }

  set(row: number, value: string): void {
    const s = value === '' ? undefined : parseGlideDateTime(value);
    if (s === undefined) {
      if (row < this.seconds.length) this.seconds[row] = NaN;
      if (value === '') this.odd.delete(row);
      else this.odd.set(row, value);
    } else {
      this.setSeconds(row, s);
      this.odd.delete(row);
    }
  }

  setSeconds(row: number, seconds: number): void {
    if (this.seconds.length < this.capacity) this.allocate();
    this.seconds[row] = seconds;
  }

  grow(capacity: number): void {
    this.capacity = Math.max(this.capacity, capacity);
    if (this.seconds.length > 0 && this.seconds.length < capacity) this.allocate();
  }

  private allocate(): void {
    const old = this.seconds.length;
    this.seconds = grown(this.seconds, this.capacity, (n) => new Float64Array(n));
    this.seconds.fill(NaN, old);
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export const SYS_ID_PATTERN = /^[0-9a-f]{32}$/;

/** sys_ids as 16 raw bytes per row; comparing bytes gives the same order as comparing the hex text. */
export class SysIdColumn implements Column {
  bytes = new Uint8Array(16 * 16);

  get(row: number): string {
    const b = this.bytes;
    const i = row * 16;
    return (
      HEX[b[i]] + HEX[b[i + 1]] + HEX[b[i + 2]] + HEX[b[i + 3]] + HEX[b[i + 4]] + HEX[b[i + 5]] + HEX[b[i + 6]] + HEX[b[i + 7]] +
      HEX[b[i + 8]] + HEX[b[i + 9]] + HEX[b[i + 10]] + HEX[b[i + 11]] + HEX[b[i + 12]] + HEX[b[i + 13]] + HEX[b[i + 14]] + HEX[b[i + 15]]
    );
  }

  /** Only 32 lowercase hex characters are accepted; the store checks before calling. */
  set(row: number, value: string): void {
    writeSysIdBytes(value, this.bytes, row * 16);
  }

  grow(capacity: number): void {
    this.bytes = grown(this.bytes, capacity * 16, (n) => new Uint8Array(n));
  }

  /** <0, 0, >0 comparing row `row` with the 16 bytes in `key`. */
  compareWith(row: number, key: Uint8Array): number {
    const b = this.bytes;
    const base = row * 16;
    for (let i = 0; i < 16; i++) {
      const d = b[base + i] - key[i];
      if (d !== 0) return d;
    }
    return 0;
  }

  compareRows(a: number, c: number): number {
    const b = this.bytes;
    const x = a * 16;
    const y = c * 16;
    for (let i = 0; i < 16; i++) {
      const d = b[x + i] - b[y + i];
      if (d !== 0) return d;
    }
    return 0;
  }
}

const HEX_DIGIT = new Uint8Array(128);
for (let i = 0; i < 16; i++) HEX_DIGIT['0123456789abcdef'.charCodeAt(i)] = i;

/** Expects 32 lowercase hex characters (callers check SYS_ID_PATTERN). */
export function writeSysIdBytes(hex: string, target: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) target[offset + i] = (HEX_DIGIT[hex.charCodeAt(i * 2)] << 4) | HEX_DIGIT[hex.charCodeAt(i * 2 + 1)];
}
