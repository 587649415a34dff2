// Runs an operation declared with <bulk> (src/catalogue/bulk.ts): many items loaded in the mode a parameter picks.
//   each:     one call of an item operation per item, `concurrency` at once (bulk.ts: the exactly-once guard of
//             each call does the rest);
//   envelope: items rendered as the item operation's requests and sent `chunkSize` at a time inside one call of an
//             envelope operation; items it did not answer, answered with a retryable status, or whose envelope's
//             outcome is unknown are sent again one by one, looked up first when they carry a key;
//   chunks:   items sent `chunkSize` at a time to an operation taking a list; the per-item results come in the
//             answer, or are read back (polled until none is pending); a chunk whose outcome is unknown is sent
//             again only when items carry a key the receiving side matches on (a repeat then updates, not adds).
// Results come one per item, in input order, whatever the mode. Memory: a bounded number of chunks in flight.
import type { BulkChunksDescriptor, BulkDescriptor, BulkEnvelopeDescriptor, CompiledOperation } from '../catalogue/index.js';
import type { JsonValue } from '../context/index.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import type { OutgoingRequest } from '../http/index.js';
import type { RecordStream } from '../paging/index.js';
import { startBulk } from './bulk.js';
import type { BulkItemResult, BulkProgress, BulkRun, InvokeResult } from './types.js';

/** What the engine needs from the connection. */
export interface BulkHost {
  invoke(operation: string, params: Record<string, unknown>, mayExist?: boolean): Promise<InvokeResult>;
  /** The request an operation would send for these parameters (validated; nothing is sent). */
  render(operation: string, params: Record<string, unknown>): OutgoingRequest;
  /** The error a call of `operation` answered with this status and body maps to. */
  failure(operation: string, status: number, body: string): ConnectorError;
  stream(operation: string, params: Record<string, unknown>): RecordStream;
  /** Whether `operation` declares `parameter`. */
  declares(operation: string, parameter: string): boolean;
}

export type BulkItems = Iterable<unknown> | AsyncIterable<unknown>;

const DEFAULT_CONCURRENCY = 8;
/** Marks an item of the each mode that was refused before any call (its error travels under this key). */
const BAD = '\u0000bad';
// A keyed chunk whose outcome is unknown is sent again up to this many times in all (each send coalesces).
const CHUNK_SENDS = 8;
/** Read-back of a chunk's results: first wait, longest wait, and how long to keep polling. */
const POLL_FIRST_MS = 50;
const POLL_MAX_MS = 1000;
const POLL_GIVE_UP_MS = 120_000;

interface Placed {
  index: number;
  item: Record<string, unknown>;
}

export function runDeclaredBulk(op: CompiledOperation, values: Record<string, unknown>, items: BulkItems, host: BulkHost, onProgress?: (p: Readonly<BulkProgress>) => void): BulkRun {
  const bulk = op.descriptor.bulk!;
  const name = op.descriptor.name;
  const mode = String(values[bulk.modeFrom]);
  const concurrency = (bulk.concurrencyFrom !== undefined ? (values[bulk.concurrencyFrom] as number | undefined) : undefined) ?? DEFAULT_CONCURRENCY;
  const key = bulk.keyFrom !== undefined ? (values[bulk.keyFrom] as string | undefined) : undefined;
  if (Array.isArray(items)) checkItems(name, bulk, items, key);
  const control = new Set([bulk.itemsFrom, bulk.modeFrom, bulk.concurrencyFrom, bulk.chunkSizeFrom]);
  // Each inner operation gets the values of the bulk operation that it also declares (the table, display options...).
  const sharedFor = (operation: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (!control.has(k) && v !== undefined && host.declares(operation, k)) out[k] = v;
    return out;
  };
  const chunkSize = (declared: number) => (bulk.chunkSizeFrom !== undefined ? (values[bulk.chunkSizeFrom] as number | undefined) : undefined) ?? declared;
  const member = op.descriptor.response.require ?? 'result';
  const objects = asObjects(name, bulk, items, key);

  if (bulk.each?.mode === mode) {
    const each = bulk.each;
    const shared = sharedFor(each.operation);
    // A bad item of a stream travels as its error, and becomes its own result without a call.
    const run = startBulk(name, mapItems(objects, (p) => ('error' in p ? { [BAD]: p.error } : { ...shared, [each.itemTo]: p.item })), concurrency, (params) =>
      params[BAD] ? Promise.reject(params[BAD]) : host.invoke(each.operation, params),
    );
    return new ProgressRun(flattenEach(run), onProgress);
  }
  const chunked = (size: number, send: (chunk: Placed[]) => Promise<BulkItemResult[]>) => {
    const results = new Map<number, BulkItemResult[]>();
    const run = startBulk(name, mapItems(chunksOf(objects, size), (chunk) => ({ chunk })), concurrency, async (p, i) => {
      const chunk = p['chunk'] as Placed[];
      try {
        results.set(i, await send(chunk));
      } catch (err) {
        results.set(i, chunk.map((c) => ({ index: c.index, ok: false as const, error: 'error' in c ? (c.error as ConnectorError) : asError(name, err) })));
      }
      return { status: 200, payload: undefined, headers: {} };
    });
    return new ProgressRun(flattenChunks(run, results), onProgress);
  };
  if (bulk.envelope?.mode === mode) {
    const env = bulk.envelope;
    const shared = { env: sharedFor(env.operation), item: sharedFor(env.itemOperation) };
    return chunked(chunkSize(env.chunkSize), (chunk) => sendEnvelope(name, env, chunk, shared, key !== undefined, host));
  }
  if (bulk.chunks?.mode === mode) {
    const spec = bulk.chunks;
    const shared = sharedFor(spec.operation);
    return chunked(chunkSize(spec.chunkSize), (chunk) => sendChunk(name, spec, chunk, shared, values, key !== undefined, member, host));
  }
  throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: name, parameter: bulk.modeFrom, message: `${name}: '${bulk.modeFrom}' has no declared way '${mode}'` });
}

/** An array is checked whole before anything is sent; a stream's bad item becomes its own error result. */
function checkItems(name: string, bulk: BulkDescriptor, items: readonly unknown[], key: string | undefined): void {
  items.forEach((item, i) => {
    const problem = itemProblem(item, key);
    if (problem) throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: name, parameter: bulk.itemsFrom, message: `${name}: ${bulk.itemsFrom}[${i}] ${problem}; nothing was sent` });
  });
}

function itemProblem(item: unknown, key: string | undefined): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return `must be a JSON object (got ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item})`;
  if (key !== undefined) {
    const v = (item as Record<string, unknown>)[key];
    if (v === undefined || v === null || v === '' || typeof v === 'object') return `has no value for '${key}', the field that identifies it (so a repeated send can be recognised)`;
  }
  return undefined;
}

async function* asObjects(name: string, bulk: BulkDescriptor, items: BulkItems, key: string | undefined): AsyncGenerator<Placed | { index: number; error: ConnectorError }> {
  let index = 0;
  for await (const item of items as AsyncIterable<unknown>) {
    const problem = itemProblem(item, key);
    yield problem
      ? { index, error: new ConnectorError({ code: 'INVALID_PARAMETER', operation: name, parameter: bulk.itemsFrom, message: `${name}: item ${index + 1} ${problem}; it was not sent` }) }
      : { index, item: item as Record<string, unknown> };
    index++;
  }
}

type Source = AsyncGenerator<Placed | { index: number; error: ConnectorError }>;

async function* mapItems<T>(source: AsyncIterable<T>, to: (v: T) => Record<string, unknown>): AsyncGenerator<Record<string, unknown>> {
  for await (const v of source) yield to(v);
}

/** Consecutive runs of `size` items; a bad item travels alone (as its own chunk holding only its error). */
async function* chunksOf(source: Source, size: number): AsyncGenerator<Array<Placed | { index: number; error: ConnectorError }>> {
  let chunk: Placed[] = [];
  for await (const p of source) {
    if ('error' in p) {
      if (chunk.length > 0) yield chunk;
      chunk = [];
      yield [p];
      continue;
    }
    chunk.push(p);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function* flattenEach(run: BulkRun): AsyncGenerator<BulkItemResult> {
  yield* run;
}

async function* flattenChunks(run: BulkRun, results: Map<number, BulkItemResult[]>): AsyncGenerator<BulkItemResult> {
  let chunkIndex = 0;
  for await (const r of run) {
    const own = results.get(chunkIndex);
    results.delete(chunkIndex++);
    if (own) yield* own;
    else if (!r.ok) throw r.error; // a chunk's send never throws (its error becomes every item's result)
  }
}

/** A bad item's error, or the chunk of good ones sent by `send`. */
function split(chunk: Array<Placed | { index: number; error: ConnectorError }>): { good: Placed[]; bad: BulkItemResult[] } {
  const good: Placed[] = [];
  const bad: BulkItemResult[] = [];
  for (const p of chunk) if ('error' in p) bad.push({ index: p.index, ok: false, error: p.error });
  else good.push(p);
  return { good, bad };
}

const unknownOutcome = (err: unknown) => isConnectorError(err) && (err.code === 'OUTCOME_UNKNOWN' || err.retryable === true);

async function sendEnvelope(
  name: string,
  env: BulkEnvelopeDescriptor,
  placed: Placed[],
  shared: { env: Record<string, unknown>; item: Record<string, unknown> },
  keyed: boolean,
  host: BulkHost,
): Promise<BulkItemResult[]> {
  const { good, bad } = split(placed);
  if (good.length === 0) return bad;
  const out = new Map<number, BulkItemResult>();
  const requests: Array<Record<string, JsonValue>> = [];
  for (const p of good) {
    try {
      const r = host.render(env.itemOperation, { ...shared.item, [env.itemTo]: p.item });
      const query = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      requests.push({
        id: String(p.index),
        method: r.method,
        url: query ? `${r.path}?${query}` : r.path,
        headers: Object.entries(r.headers).map(([hn, value]) => ({ name: hn, value })),
        ...(typeof r.body === 'string' ? { body: r.body } : {}),
      });
    } catch (err) {
      out.set(p.index, { index: p.index, ok: false, error: asError(name, err) });
    }
  }
  const again: Placed[] = [];
  if (requests.length > 0) {
    try {
      const idValue = `${name}-${process.pid}-${Date.now().toString(36)}-${good[0]!.index}`;
      const res = await host.invoke(env.operation, { ...shared.env, [env.requestsTo]: requests, ...(env.idTo ? { [env.idTo]: idValue } : {}) });
      const body = (res.payload ?? {}) as Record<string, unknown>;
      const answers = new Map<string, Record<string, unknown>>();
      for (const a of asArray(body[env.answers])) if (a && typeof a === 'object') answers.set(String((a as Record<string, unknown>)[env.answerId]), a as Record<string, unknown>);
      for (const p of good) {
        if (out.has(p.index)) continue;
        const a = answers.get(String(p.index));
        if (!a) {
          again.push(p);
          continue;
        }
        const status = Number(a[env.answerStatus]);
        const raw = String(a[env.answerBody] ?? '');
        const text = env.answerBodyEncoding === 'base64' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
        if (status >= 200 && status < 300) {
          out.set(p.index, { index: p.index, ok: true, result: { status, payload: parseJson(text), headers: {} } });
        } else if (status === 429 || status >= 500) {
          again.push(p);
        } else {
          out.set(p.index, { index: p.index, ok: false, error: host.failure(env.itemOperation, status, text) });
        }
      }
    } catch (err) {
      if (!unknownOutcome(err) || (!keyed && isConnectorError(err) && err.code === 'OUTCOME_UNKNOWN')) {
        for (const p of good) if (!out.has(p.index)) out.set(p.index, { index: p.index, ok: false, error: asError(name, err) });
      } else {
        for (const p of good) if (!out.has(p.index)) again.push(p);
      }
    }
  }
  // One by one, each with its own guard: looked up first (it may have been created by the envelope) when keyed.
  await Promise.all(
    again.map(async (p) => {
      try {
        out.set(p.index, { index: p.index, ok: true, result: await host.invoke(env.itemOperation, { ...shared.item, [env.itemTo]: p.item }, keyed) });
      } catch (err) {
        out.set(p.index, { index: p.index, ok: false, error: asError(name, err) });
      }
    }),
  );
  return [...bad, ...good.map((p) => out.get(p.index)!)].sort((a, b) => a.index - b.index);
}

async function sendChunk(
  name: string,
  spec: BulkChunksDescriptor,
  placed: Placed[],
  shared: Record<string, unknown>,
  values: Record<string, unknown>,
  keyed: boolean,
  member: string,
  host: BulkHost,
): Promise<BulkItemResult[]> {
  const { good, bad } = split(placed);
  if (good.length === 0) return bad;
  let answer: InvokeResult | undefined;
  let failure: unknown;
  for (let send = 1; send <= CHUNK_SENDS && answer === undefined; send++) {
    try {
      answer = await host.invoke(spec.operation, { ...shared, [spec.itemsTo]: good.map((p) => p.item) });
    } catch (err) {
      failure = err;
      // Sent again only when a repeat cannot add items twice (keyed) or the failure says nothing was applied.
      if (!unknownOutcome(err) || (!keyed && isConnectorError(err) && err.code === 'OUTCOME_UNKNOWN')) break;
    }
  }
  if (answer === undefined) return [...bad, ...good.map((p) => ({ index: p.index, ok: false as const, error: asError(name, failure) }))].sort((a, b) => a.index - b.index);
  const body = (answer.payload ?? {}) as Record<string, unknown>;
  let rows: Array<{ id: unknown; status: unknown; error: unknown } | undefined>;
  if (Array.isArray(body[spec.results])) {
    rows = (body[spec.results] as Array<Record<string, unknown>>).map((r) => ({ id: r[spec.idField], status: r[spec.statusField], error: r[spec.errorField] }));
  } else if (spec.readBack && body[spec.readBack.setFrom] !== undefined) {
    rows = await readBack(name, spec, String(body[spec.readBack.setFrom]), good.length, values, host);
  } else {
    throw new ConnectorError({ code: 'SERVICENOW_ERROR', operation: name, message: `${name}: ${spec.operation} answered without '${spec.results}'${spec.readBack ? ` or '${spec.readBack.setFrom}'` : ''}, so the items' results are unknown` });
  }
  const results = good.map((p, i): BulkItemResult => {
    const row = rows[i];
    if (!row) return { index: p.index, ok: false, error: new ConnectorError({ code: 'SERVICENOW_ERROR', operation: name, message: `${name}: item ${p.index + 1}: no result came back for it` }) };
    if (spec.errorStatuses.includes(String(row.status))) {
      return { index: p.index, ok: false, error: new ConnectorError({ code: 'SERVICENOW_ERROR', operation: name, message: `${name}: item ${p.index + 1}: ${String(row.status)}: ${String(row.error ?? '')}` }) };
    }
    return { index: p.index, ok: true, result: { status: 201, payload: { [member]: { [spec.idField]: String(row.id ?? ''), [spec.statusField]: String(row.status ?? '') } }, headers: {} } };
  });
  return [...bad, ...results].sort((a, b) => a.index - b.index);
}

/** Reads the chunk's rows back until none is pending; row i of the chunk is the one whose index field is i. */
async function readBack(name: string, spec: BulkChunksDescriptor, set: string, count: number, values: Record<string, unknown>, host: BulkHost) {
  const rb = spec.readBack!;
  const started = Date.now();
  for (let wait = POLL_FIRST_MS; ; wait = Math.min(POLL_MAX_MS, wait * 2)) {
    const rows = new Array<{ id: unknown; status: unknown; error: unknown } | undefined>(count);
    let pending = 0;
    for await (const r of host.stream(rb.operation, { [rb.tableTo]: values[rb.tableFrom], [rb.queryTo]: `${rb.setField}=${set}` })) {
      const i = Number(r[rb.indexField]);
      if (!Number.isInteger(i) || i < 0 || i >= count) continue;
      if (String(r[rb.statusField]) === rb.pendingStatus) pending++;
      rows[i] = { id: r[rb.idField], status: r[rb.statusField], error: r[rb.errorField] };
    }
    if (pending === 0 && rows.every((r) => r !== undefined)) return rows;
    if (Date.now() - started > POLL_GIVE_UP_MS) {
      throw new ConnectorError({ code: 'TIMEOUT', operation: name, message: `${name}: the results of set ${set} were still pending after ${POLL_GIVE_UP_MS / 1000} s` });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

function asError(name: string, err: unknown): ConnectorError {
  return isConnectorError(err) ? err : new ConnectorError({ code: 'CONNECTION_ERROR', operation: name, message: `${name}: ${err instanceof Error ? err.message : String(err)}`, cause: err });
}

/** Counts results as they are handed out and tells the caller's progress callback. */
class ProgressRun implements BulkRun {
  readonly progress: BulkProgress = { started: 0, succeeded: 0, failed: 0 };
  constructor(
    private readonly source: AsyncGenerator<BulkItemResult>,
    private readonly onProgress?: (p: Readonly<BulkProgress>) => void,
  ) {}

  async all(): Promise<BulkItemResult[]> {
    const out: BulkItemResult[] = [];
    for await (const r of this) out.push(r);
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<BulkItemResult> {
    for await (const r of this.source) {
      this.progress.started++;
      if (r.ok) this.progress.succeeded++;
      else this.progress.failed++;
      this.onProgress?.(this.progress);
      yield r;
    }
  }
}
