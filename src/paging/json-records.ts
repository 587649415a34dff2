// Reads `{"<member>":[{...},{...},...]}` from a stream of body chunks and hands the records out in batches as they
// arrive, so a page is never held whole as text. Fast path: the body is compact JSON, records are separated by
// `},{`; everything up to the last such separator in the buffer is parsed with one JSON.parse. That parse is
// also the proof: a `},{` inside a string makes it fail (the parser is then inside that string at the cut), and
// the careful scanner below finds the true record ends. Any other shape (an error envelope, pretty-printed JSON
// with other members first) falls back to reading the body whole.
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
const EMPTY = Buffer.alloc(0);

export async function* recordBatches(chunks: AsyncIterable<Uint8Array | string>, member: string): AsyncGenerator<JsonRecord[], void, undefined> {
  const head = new RegExp(`^\\s*\\{\\s*"${member.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*\\[`);
  // Bytes, not text: separators are ASCII, which never occurs inside a multi-byte UTF-8 character, so byte offsets
  // cut safely, and each batch is decoded once, straight into the string JSON.parse reads.
  let data: Buffer = EMPTY;
  let pos = 0;
  let mode: 'head' | 'records' | 'whole' = 'head';
  const whole: Buffer[] = [];

  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (mode === 'whole') {
      whole.push(bytes);
      continue;
    }
    // Keep one byte before the unread part: the batch parse borrows it for its opening bracket.
    const keep = Math.max(0, pos - 1);
    data = keep < data.length ? Buffer.concat([data.subarray(keep), bytes]) : bytes;
    pos -= keep;
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
        data = EMPTY;
        continue;
      } else continue;
    }
    pos = skipSeparatorBytes(data, pos);
    const cut = data.lastIndexOf(SEPARATOR);
    if (cut >= pos) {
      const batch = parseInPlace(data, pos, cut + 1);
      if (batch) {
        pos = cut + 2;
        yield batch;
        continue;
      }
    }
    if (cut >= pos || data.length - pos > SCAN_THRESHOLD) {
      const end = lastRecordEndBytes(data, pos);
      if (end > pos) {
        const batch = tryParseArray(data.toString('utf8', pos, end));
        if (!batch) throw new TruncatedBodyError('the page body is not valid JSON');
        pos = skipSeparatorBytes(data, end);
        yield batch;
      }
    }
  }
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

/** The rest after the last full batch: the last records, then `]` and the end of the envelope. */
function* finish(data: Buffer, from: number): Generator<JsonRecord[]> {
  const start = skipSeparatorBytes(data, from);
  const end = lastRecordEndBytes(data, start);
  const batch = end > start ? tryParseArray(data.toString('utf8', start, end)) : [];
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
    return JSON.parse(data.toString('utf8', from - 1, to + 1)) as JsonRecord[];
  } catch {
    return undefined;
  } finally {
    data[from - 1] = before;
    data[to] = after;
  }
}

function skipSpaceBytes(data: Buffer, at: number): number {
  for (let c = data[at]; c === 32 || c === 10 || c === 13 || c === 9; c = data[at]) at++;
  return at;
}

function skipSeparatorBytes(data: Buffer, at: number): number {
  at = skipSpaceBytes(data, at);
  return data[at] === 44 ? skipSpaceBytes(data, at + 1) : at;
}

/**
 * Index just after the last complete top-level value starting at `from` (records separated by commas), stopping
 * at the array's closing bracket or the end of the data. Tracks strings and escapes, so braces in values are safe;
 * the structural characters are ASCII, so UTF-8 content cannot be mistaken for them.
 */
function lastRecordEndBytes(data: Buffer, from: number): number {
  let depth = 0;
  let inString = false;
  let last = from;
  for (let i = from; i < data.length; i++) {
    const c = data[i]!;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return last;
      depth--;
      if (depth === 0) last = i + 1;
    }
  }
  return last;
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

