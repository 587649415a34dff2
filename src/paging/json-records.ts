// Reads `{"<member>":[{...},{...},...]}` from a stream of body chunks and hands the records out in batches as they
// arrive, so a page is never held whole as text. Fast path: the body is compact JSON, records are separated by
// `},{`; everything up to the last such separator in the buffer is parsed with one JSON.parse. That parse is
// also the proof: a `},{` inside a string makes it fail (the parser is then inside that string at the cut), and
// the careful scanner below finds the true record ends. Any other shape (an error envelope, pretty-printed JSON
// with other members first) falls back to reading the body whole.
import { isAscii } from 'node:buffer';
import { ByteWindow } from './byte-window.js';
import type { JsonRecord } from './types.js';

/** The body ended before the array was closed (a cut connection, or a 200 truncated by a cancelled transaction). */
export class TruncatedBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedBodyError';
  }
}

/** Above this much unparsed text without a fast-path separator, the careful scanner takes over. */
const SCAN_THRESHOLD = 256 * 1024;

const SEPARATOR = Buffer.from('},{');

export async function* recordBatches(chunks: AsyncIterable<Uint8Array | string>, member: string): AsyncGenerator<JsonRecord[], void, undefined> {
  const window = new ByteWindow();
  try {
    yield* batchesThrough(window, chunks, member);
  } finally {
    // Ended, failed or left by the consumer: the next page's window takes the storage over (byte-window.ts).
    window.release();
  }
}

async function* batchesThrough(window: ByteWindow, chunks: AsyncIterable<Uint8Array | string>, member: string): AsyncGenerator<JsonRecord[], void, undefined> {
  const head = new RegExp(`^\\s*\\{\\s*"${member.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*\\[`);
  // Bytes, not text: separators are ASCII, which never occurs inside a multi-byte UTF-8 character, so byte offsets
  // cut safely, and each batch is decoded once, straight into the string JSON.parse reads.
  let pos = 0;
  let mode: 'head' | 'records' | 'whole' = 'head';
  const whole: Buffer[] = [];
  // Every byte is looked at a bounded number of times, however large one record is (a 40 MB field): the separator
  // search covers only the bytes that arrived since the last search, and the careful scanner resumes where it stopped.
  let searched = 0;
  let scan = newScan(0);
  /** False after a fast-path parse failed (a `},{` inside a string): the scanner then finds this record's end. */
  let fast = true;

  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (mode === 'whole') {
      whole.push(bytes);
      continue;
    }
    // Keep one byte before the unread part: the batch parse borrows it for its opening bracket.
    const keep = Math.max(0, pos - 1);
    const data = window.append(bytes, keep);
    pos -= keep;
    searched = Math.max(0, searched - keep);
    shiftScan(scan, keep);
    if (mode === 'head') {
      // latin1 maps bytes to characters one to one, so the match length is a byte offset (the head is ASCII).
      const prefix = data.toString('latin1', 0, Math.min(data.length, member.length + 64));
      const m = head.exec(prefix);
      if (m) {
        mode = 'records';
        pos = m[0].length;
      } else if (data.length > member.length + 64 || /^\s*[^\s{]/.test(prefix)) {
        mode = 'whole';
        whole.push(data);
        continue;
      } else continue;
    }
    pos = skipSeparatorBytes(data, pos);
    if (scan.at < pos) scan = newScan(pos);
    // A separator straddling the previous end starts at most 2 bytes before it.
    const from = Math.max(pos, searched - 2);
    const found = fast ? data.subarray(from).lastIndexOf(SEPARATOR) : -1;
    const cut = found < 0 ? -1 : from + found;
    searched = data.length;
    if (cut >= pos && cut >= scan.at) {
      const batch = parseInPlace(data, pos, cut + 1);
      if (batch) {
        pos = cut + 2;
        scan = newScan(pos);
        yield batch;
        continue;
      }
      fast = false;
    }
    if (!fast || data.length - pos > SCAN_THRESHOLD) {
      scanRecordEnds(data, scan);
      if (scan.last > pos) {
        const batch = tryParseArray(text(data, pos, scan.last));
        if (!batch) throw new TruncatedBodyError('the page body is not valid JSON');
        pos = skipSeparatorBytes(data, scan.last);
        fast = true;
        yield batch;
      }
    }
  }
  const data = window.data;
  if (mode === 'records') {
    yield* finish(data, pos);
    return;
  }
  const buf = mode === 'whole' ? Buffer.concat(whole).toString('utf8') : data.toString('utf8');
  // Not the expected shape: parse it whole and take the member.
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf);
  } catch {
    throw new TruncatedBodyError(buf.trim() === '' ? 'the page body is empty' : 'the page body is not valid JSON');
  }
  const records = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[member] : undefined;
  if (!Array.isArray(records)) throw new TruncatedBodyError(`the page body has no '${member}' array`);
  if (records.length > 0) yield records as JsonRecord[];
}

/** Where the careful scanner stopped: resumable, so each byte is scanned once. Offsets index the window. */
interface Scan {
  /** Next byte to look at. */
  at: number;
  depth: number;
  inString: boolean;
  /** Just after the last complete top-level value. */
  last: number;
  /** The records array's closing bracket was reached. */
  closed: boolean;
}

function newScan(from: number): Scan {
  return { at: from, depth: 0, inString: false, last: from, closed: false };
}

function shiftScan(scan: Scan, by: number): void {
  scan.at = Math.max(0, scan.at - by);
  scan.last = Math.max(0, scan.last - by);
}

/**
 * Advances `scan` to the end of the data, noting the end of each complete top-level value (records separated by
 * commas) and stopping at the array's closing bracket. Tracks strings and escapes, so braces in values are safe;
 * the structural characters are ASCII, so UTF-8 content cannot be mistaken for them.
 */
function scanRecordEnds(data: Buffer, scan: Scan): void {
  if (scan.closed) return;
  let { at: i, depth, inString, last } = scan;
  for (; i < data.length; i++) {
    if (inString) {
      // Jump to the next quote natively (a long text field is one memchr, not a loop over its bytes); it ends the
      // string unless an odd run of backslashes escapes it.
      const quote = data.indexOf(34, i);
      if (quote < 0) {
        i = data.length;
        break;
      }
      let slashes = 0;
      while (data[quote - 1 - slashes] === 92) slashes++;
      i = quote;
      if (slashes % 2 === 0) inString = false;
      continue;
    }
    const c = data[i]!;
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) {
        scan.closed = true;
        break;
      }
      depth--;
      if (depth === 0) last = i + 1;
    }
  }
  scan.at = i;
  scan.depth = depth;
  scan.inString = inString;
  scan.last = last;
}

/** The rest after the last full batch: the last records, then `]` and the end of the envelope. */
function* finish(data: Buffer, from: number): Generator<JsonRecord[]> {
  const start = skipSeparatorBytes(data, from);
  const scan = newScan(start);
  scanRecordEnds(data, scan);
  const end = scan.last;
  const batch = end > start ? tryParseArray(text(data, start, end)) : [];
  if (batch === undefined) throw new TruncatedBodyError('the page body is not valid JSON');
  if (batch.length > 0) yield batch;
  const close = skipSpaceBytes(data, end);
  // Not at the array's end after the last complete record: the body was cut.
  if (data[close] !== 93) throw new TruncatedBodyError('the page body was cut short before its records array was closed');
  const after = skipSpaceBytes(data, close + 1);
  if (data[after] !== 125 && data[after] !== 44) throw new TruncatedBodyError('the page body ends right after its records array');
}

/**
 * Parses the records between byte offsets [from, to) (from at a `{`, to at the `,` after a `}`) as one array: the
 * byte before `from` and the one at `to` are separators, lent to hold `[` and `]` for the parse and then restored,
 * so the batch is decoded once with no copy to add the brackets.
 */
function parseInPlace(data: Buffer, from: number, to: number): JsonRecord[] | undefined {
  const before = data[from - 1]!;
  const after = data[to]!;
  data[from - 1] = 0x5b;
  data[to] = 0x5d;
  try {
    return JSON.parse(text(data, from - 1, to + 1)) as JsonRecord[];
  } catch {
    return undefined;
  } finally {
    data[from - 1] = before;
    data[to] = after;
  }
}

/**
 * The bytes [from, to) as text. Pure ASCII (the usual page) is copied byte for byte (latin1 is then the same text):
 * the vectorised check and a copy cost a little less than UTF-8 decoding.
 */
function text(data: Buffer, from: number, to: number): string {
  return isAscii(data.subarray(from, to)) ? data.toString('latin1', from, to) : data.toString('utf8', from, to);
}

function skipSpaceBytes(data: Buffer, at: number): number {
  for (let c = data[at]; c === 32 || c === 10 || c === 13 || c === 9; c = data[at]) at++;
  return at;
}

function skipSeparatorBytes(data: Buffer, at: number): number {
  at = skipSpaceBytes(data, at);
  return data[at] === 44 ? skipSpaceBytes(data, at + 1) : at;
}

/** The comma-separated records in `text` as an array, or undefined when they are not valid JSON. */
function tryParseArray(text: string): JsonRecord[] | undefined {
  try {
    const value: unknown = JSON.parse('[' + text + ']');
    return value as JsonRecord[];
  } catch {
    return undefined;
  }
}

