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

export async function* recordBatches(chunks: AsyncIterable<Uint8Array | string>, member: string): AsyncGenerator<JsonRecord[], void, undefined> {
  const decoder = new TextDecoder('utf-8');
  const head = new RegExp(`^\\s*\\{\\s*"${member.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*\\[`);
  let buf = '';
  let pos = 0;
  let mode: 'head' | 'records' | 'whole' = 'head';

  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    buf = pos > 0 ? buf.slice(pos) + text : buf + text;
    pos = 0;
    if (mode === 'head') {
      const m = head.exec(buf);
      if (m) {
        mode = 'records';
        pos = m[0].length;
      } else if (buf.length > member.length + 64 || /^\s*[^\s{]/.test(buf)) {
        mode = 'whole';
      }
    }
    if (mode !== 'records') continue;
    pos = skipSeparator(buf, pos);
    const cut = buf.lastIndexOf('},{');
    if (cut >= pos) {
      const batch = tryParseArray(buf, pos, cut + 1);
      if (batch) {
        pos = cut + 2;
        yield batch;
        continue;
      }
    }
    if (cut >= pos || buf.length - pos > SCAN_THRESHOLD) {
      const end = lastRecordEnd(buf, pos);
      if (end > pos) {
        const batch = tryParseArray(buf, pos, end);
        if (!batch) throw new TruncatedBodyError('the page body is not valid JSON');
        pos = skipSeparator(buf, end);
        yield batch;
      }
    }
  }
  buf = (pos > 0 ? buf.slice(pos) : buf) + decoder.decode();
  if (mode === 'records') {
    yield* finish(buf);
    return;
  }
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
function* finish(rest: string): Generator<JsonRecord[]> {
  const start = skipSeparator(rest, 0);
  const end = lastRecordEnd(rest, start);
  const batch = end > start ? tryParseArray(rest, start, end) : [];
  if (batch === undefined) throw new TruncatedBodyError('the page body is not valid JSON');
  if (batch.length > 0) yield batch;
  const close = skipSpace(rest, end);
  // Not at the array's end after the last complete record: the body was cut.
  if (rest[close] !== ']') throw new TruncatedBodyError('the page body was cut short before its records array was closed');
  if (!/^\s*[},]/.test(rest.slice(close + 1))) throw new TruncatedBodyError('the page body ends right after its records array');
}

function tryParseArray(text: string, from: number, to: number): JsonRecord[] | undefined {
  try {
    const value: unknown = JSON.parse('[' + text.slice(from, to) + ']');
    return value as JsonRecord[];
  } catch {
    return undefined;
  }
}

function skipSpace(text: string, at: number): number {
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    at++;
  }
  return at;
}

function skipSeparator(text: string, at: number): number {
  at = skipSpace(text, at);
  if (text.charCodeAt(at) === 44) at = skipSpace(text, at + 1);
  return at;
}

/**
 * Index just after the last complete top-level value starting at `from` (records separated by commas), stopping
 * at the array's closing bracket or the end of the text. Tracks strings and escapes, so braces in values are safe.
 */
function lastRecordEnd(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  let last = from;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
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
