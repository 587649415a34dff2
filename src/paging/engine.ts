// Runs an all-pages read: asks the planner for each page, streams its body through the record splitter and hands
// records out as they arrive. Memory: without prefetch, one batch of records plus the unparsed tail of a chunk;
// with prefetch, the page being consumed plus the one being read; with parallel offset ranges, the page being
// handed out streams and each page behind it reads ahead one batch (its body waits meanwhile).
// A page whose body breaks off is asked for again (resumed from the cursor, or re-read skipping what was read).
import type { Readable } from 'node:stream';
import { Cancellation } from '../cancellation.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import { chunksWithinDeadline } from './body-deadline.js';
import type { OutgoingRequest, StreamingResponse } from '../http/types.js';
import { recordBatches, TruncatedBodyError } from './json-records.js';
import { createPlanner, OffsetPlanner, type Planner } from './planners.js';
import { PartitionedRead } from './partitions.js';
import type { ParseTurns } from './parse-turns.js';
import { ProgressGuard } from './progress-guard.js';
import { BODY_READ_AHEAD, ONE_CHUNK_AHEAD, readAheadBody, type BodyChunks } from './read-ahead-body.js';
import { ONE_BATCH_AHEAD, ReadAhead } from './read-ahead.js';
import { settle, unwrap } from './settled.js';
import { countHeader, fieldText } from './request-query.js';
import type { JsonRecord, PageSource, PagingProgress, PagingSettings, PagingWire, RecordPage, RecordStream } from './types.js';

const PAGE_RETRIES = 3;
const RETRY_DELAY_MS = 200;
const ERROR_BODY_CHARS = 1024 * 1024;

interface Batch {
  page: number;
  records: JsonRecord[];
}

interface PageState {
  read: number;
  headers: Record<string, string>;
}

interface WholePage {
  batches: JsonRecord[][];
  read: number;
  headers: Record<string, string>;
}

export function openRecordStream(source: PageSource, wire: PagingWire, settings: PagingSettings): RecordStream {
  return new PagedRead(source, wire, settings);
}

/**
 * The request an all-pages read sends first (the planner's, with its limit, order and cursor terms), for a preview;
 * nothing is sent. Throws like openRecordStream when the strategy is not declared.
 */
export function firstPageRequest(source: Pick<PageSource, 'operation' | 'first'>, wire: PagingWire, settings: PagingSettings): OutgoingRequest | undefined {
  const unsent: PageSource = {
    ...source,
    open: () => Promise.reject(new Error('a preview sends nothing')),
    failure: (status) => new Error(`HTTP ${status}`),
  };
  return createPlanner(unsent, wire, settings).next();
}

class PagedRead implements RecordStream {
  readonly progress: PagingProgress = { records: 0, pages: 0, bytes: 0, startedAt: 0, buffered: 0, peakBuffered: 0 };
  private started = false;
  /** Watermark of the last record handed out (incremental reads). */
  private lastMark: string | undefined;
  /**
   * Stops every request of the read. A Cancellation, not an AbortController: each request in flight follows it
   * until its body closes (16 ranges: 16 listeners at once, which an AbortSignal reports as a possible leak past 10).
   */
  private readonly abort = new Cancellation();
  private readonly source: PageSource;
  private readonly planner: Planner;
  /** Records received from page bodies so far (progress.buffered is this less those handed out). */
  private received = 0;

  constructor(
    source: PageSource,
    private readonly wire: PagingWire,
    private readonly settings: PagingSettings,
  ) {
    // Every request the planners build (pages, resumptions, counts) stops with the read.
    this.source = { ...source, first: { ...source.first, signal: this.abort } };
    // Built now so that a strategy the operation does not declare fails at once, not at the first iteration.
    this.planner = createPlanner(this.source, wire, settings);
  }

  watermark(): string | undefined {
    return this.lastMark ?? this.settings.since;
  }

  private markOf(record: JsonRecord): string {
    return `${fieldText(record, this.wire.watermarkField!)},${fieldText(record, this.wire.keyField!)}`;
  }

  [Symbol.asyncIterator](): AsyncIterator<JsonRecord> {
    return new RecordIterator(this.batches());
  }

  async *pages(): AsyncIterable<RecordPage> {
    let page = -1;
    let records: JsonRecord[] = [];
    for await (const batch of this.batches()) {
      if (batch.page !== page) {
        if (page >= 0) yield { index: page, records };
        page = batch.page;
        records = [];
      }
      for (const r of batch.records) records.push(r);
    }
    if (page >= 0) yield { index: page, records };
  }

  private async *batches(): AsyncGenerator<Batch, void, undefined> {
    if (this.started) throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: this.source.operation, message: `${this.source.operation}: a record stream can be iterated only once` });
    this.started = true;
    this.progress.startedAt = performance.now();
    const max = this.settings.maxRecords ?? Number.POSITIVE_INFINITY;
    const guard = new ProgressGuard(this.source.operation, this.settings.strategy, this.wire);
    try {
      const partitioned =
        this.settings.partitions > 1
          ? new PartitionedRead(
              this.source,
              this.wire,
              this.settings,
              (req, planner, page, state, turns) => this.pageBatches(req, planner, page, state, turns),
              () => this.progress.pages++,
              this.adaptiveLimit(),
            )
          : undefined;
      const source = partitioned
        ? partitioned.batches()
        : this.settings.strategy === 'offset' && this.settings.parallel > 1
          ? this.parallelPages()
          : this.settings.prefetch
            ? this.prefetchedPages()
            : this.streamedPages();
      for await (const batch of source) {
        this.progress.buffered = this.received - this.progress.records - batch.records.length;
        guard.check(batch.page, batch.records);
        const room = max - this.progress.records;
        const records = batch.records.length > room ? batch.records.slice(0, room) : batch.records;
        this.received -= batch.records.length - records.length;
        if (records.length === 0) continue;
        if (this.settings.since !== undefined) this.lastMark = partitioned ? partitioned.watermarkAfter(records) : this.markOf(records[records.length - 1]!);
        if (this.planner.addedFields.length > 0) for (const r of records) for (const f of this.planner.addedFields) delete r[f];
        this.progress.records += records.length;
        yield { page: batch.page, records };
        if (this.progress.records >= max) return;
      }
    } finally {
      // Stops reads still running in the background (prefetch, parallel ranges) when the consumer stops early.
      this.abort.abort(new Error(`${this.source.operation}: the read ended`));
    }
  }

  /** partitions=auto: the limit of requests in flight, discovered as the read goes (its figures in progress). */
  private adaptiveLimit(): AdaptiveLimit | undefined {
    if (!this.settings.adaptive) return undefined;
    const limit = new AdaptiveLimit(this.settings.partitions);
    this.progress.concurrency = limit.progress;
    return limit;
  }

  /** Page after page; records handed out while the body is still arriving. */
  private async *streamedPages(): AsyncGenerator<Batch> {
    const max = this.settings.maxRecords ?? Number.POSITIVE_INFINITY;
    for (let page = 0, req = this.planner.next(); req !== undefined; page++, req = this.planner.next()) {
      const state: PageState = { read: 0, headers: {} };
      for await (const records of this.pageBatches(req, this.planner, page, state)) {
        yield { page, records };
        if (this.progress.records >= max) return;
      }
      this.progress.pages++;
      await this.planner.pageDone(state.read, state.headers);
    }
  }

  /** While page n is consumed, page n+1 is read (its request may depend on page n's last record). */
  private async *prefetchedPages(): AsyncGenerator<Batch> {
    const max = this.settings.maxRecords ?? Number.POSITIVE_INFINITY;
    let readSoFar = 0;
    const first = this.planner.next();
    let pending = first ? settle(this.readWholePage(first, this.planner, 0)) : undefined;
    for (let page = 0; pending !== undefined; page++) {
      const whole = await unwrap(pending);
      this.progress.pages++;
      readSoFar += whole.read;
      await this.planner.pageDone(whole.read, whole.headers);
      const next = readSoFar < max ? this.planner.next() : undefined;
      pending = next ? settle(this.readWholePage(next, this.planner, page + 1)) : undefined;
      for (const records of whole.batches) yield { page, records };
    }
  }

  /**
   * Offset ranges read `parallel` at a time, handed out in order. The page being handed out streams; each page
   * behind it reads ahead one batch (its first chunk's records), then its body waits on the connection until its
   * turn. Records and chunks that wait that long leave V8's young generation and stay, dead, until a full GC: with
   * 100 records and 256 KB read ahead per page, 8 ranges against the latency simulator peaked at 141-162 MB; with one
   * batch and one chunk, 128-140 MB, as fast (3 alternating runs each).
   */
  private async *parallelPages(): AsyncGenerator<Batch> {
    const planner = this.planner as OffsetPlanner;
    const max = this.settings.maxRecords ?? Number.POSITIVE_INFINITY;
    const queue: Array<{ batches: ReadAhead; state: PageState }> = [];
    let issued = 0;
    let readSoFar = 0;
    const fill = () => {
      while (queue.length < this.settings.parallel && !planner.beyondEnd(issued) && issued * this.settings.pageSize < max) {
        const state: PageState = { read: 0, headers: {} };
        queue.push({ batches: new ReadAhead(this.pageBatches(planner.requestAt(issued), undefined, issued, state), ONE_BATCH_AHEAD), state });
        issued++;
      }
    };
    try {
      fill();
      for (let page = 0; queue.length > 0; page++) {
        const { batches, state } = queue[0]!;
        for (let next = await batches.next(); !next.done; next = await batches.next()) yield { page, records: next.value };
        queue.shift();
        this.progress.pages++;
        planner.learn(state.headers);
        readSoFar += state.read;
        if (readSoFar >= max || (state.read === 0 && !countHeader(state.headers, this.wire.totalHeader))) return;
        fill();
      }
    } finally {
      for (const { batches } of queue) batches.close();
    }
  }

  /** Reads one page completely (for prefetch). */
  private async readWholePage(first: OutgoingRequest, planner: Planner | undefined, page: number): Promise<WholePage> {
    const batches: JsonRecord[][] = [];
    const state: PageState = { read: 0, headers: {} };
    for await (const records of this.pageBatches(first, planner, page, state)) batches.push(records);
    return { batches, read: state.read, headers: state.headers };
  }

  /**
   * One page's records, batch by batch as the body arrives. A body that breaks off is asked for again from where it
   * stopped (the planner's resume request, or the same request skipping what was already handed out), so no record
   * is lost or repeated. `state` counts the records and keeps the last response's headers for the caller.
   * `turns`: the page parses when its turn comes (a partitioned read's ranges parse oldest page first).
   */
  private async *pageBatches(first: OutgoingRequest, planner: Planner | undefined, page: number, state: PageState, turns?: ParseTurns): AsyncGenerator<JsonRecord[]> {
    let req = first;
    let skip = 0;
    let ticket: number | undefined;
    for (let attempt = 0; ; attempt++) {
      const asked = performance.now();
      const res = await this.openPage(req);
      state.headers = res.headers;
      // Taken when the first response arrives; a resumed body keeps its page's place.
      ticket ??= turns?.ticket();
      try {
        for await (let records of this.parse(res, page, asked, turns && { turns, ticket: ticket! })) {
          if (skip > 0) {
            const dropped = Math.min(skip, records.length);
            skip -= dropped;
            records = records.slice(dropped);
          }
          planner?.observe(records);
          state.read += records.length;
          this.received += records.length;
          const buffered = this.received - this.progress.records;
          if (buffered > this.progress.peakBuffered) this.progress.peakBuffered = buffered;
          yield records;
        }
        return;
      } catch (err) {
        await this.beforeRetry(err, attempt, page);
        if (planner) ({ request: req, skip } = planner.resume(state.read));
        else skip = state.read;
      }
    }
  }

  private async openPage(req: OutgoingRequest): Promise<StreamingResponse> {
    const res = await this.source.open(req);
    if (res.status < 200 || res.status >= 300) {
      let text = '';
      try {
        // Enough for the error envelope's message; a huge error body is not read to its end.
        for await (const chunk of res.body) {
          text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
          if (text.length > ERROR_BODY_CHARS) {
            res.body.destroy();
            break;
          }
        }
      } catch {
        // The status decides; a body that broke off only loses detail.
      }
      throw this.source.failure(res.status, res.headers, text);
    }
    // The read's total is the first count: later ones (the keyset planner's, on the page it expects to be the last)
    // count only the rows after the cursor, and a partitioned read's count only one range's rows.
    const total = this.progress.totalCount === undefined && this.settings.partitions === 1 ? countHeader(res.headers, this.wire.totalHeader) : undefined;
    if (total !== undefined) this.progress.totalCount = total;
    return res;
  }

  /** The page's records as its body arrives; `asked`: when the page was requested (the deadline counts from there). */
  private parse(res: StreamingResponse, page: number, asked: number, turn?: { turns: ParseTurns; ticket: number }): AsyncGenerator<JsonRecord[]> {
    const progress = this.progress;
    const { operation, deadlineMs } = this.source;
    // A page of a partitioned read reads ahead only once it has its parse turn (see inTurn). The ranges of an ordered
    // merge wait for the merge, most of them for long (in key order, for every range before them), and so do the
    // offset pages behind the one handed out: beside their records' read-ahead (ReadAhead) they hold one chunk at
    // most, not 256 KB each. (Not 0: without parse turns nothing would ever let that body read on.)
    const waitsItsTurn = (this.settings.ordered && this.settings.partitions > 1) || this.settings.parallel > 1;
    const chunks = readAheadBody(res.body as Readable, turn ? 0 : waitsItsTurn ? ONE_CHUNK_AHEAD : BODY_READ_AHEAD);
    const body: AsyncIterable<Uint8Array> =
      deadlineMs === undefined
        ? chunks
        : chunksWithinDeadline(chunks, deadlineMs - (performance.now() - asked), () =>
            new ConnectorError({
              code: 'TIMEOUT',
              operation,
              retryable: true,
              message: `${operation}: timed out: page ${page + 1} did not arrive within the operation's deadline of ${deadlineMs} ms (its body came too slowly); the read stopped`,
            }),
          );
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of body) {
        progress.bytes += chunk.byteLength;
        yield chunk;
      }
    }
    return recordBatches(turn ? inTurn(body, chunks, turn, progress) : counted(), this.wire.records);
  }

  /** Decides whether a page whose body broke off is asked for again; throws when not. */
  private async beforeRetry(err: unknown, attempt: number, page: number): Promise<void> {
    const name = this.source.operation;
    if (this.abort.aborted || isConnectorError(err)) throw err;
    const truncated = err instanceof TruncatedBodyError;
    const reason = err instanceof Error ? err.message : String(err);
    if (attempt >= PAGE_RETRIES) {
      throw new ConnectorError({
        code: truncated ? 'SERVICENOW_ERROR' : 'CONNECTION_ERROR',
        operation: name,
        retryable: true,
        message: `${name}: page ${page + 1} could not be read after ${attempt + 1} attempts: ${reason}`,
        cause: err,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * 2 ** attempt));
  }
}

/**
 * A page's body chunks, each handed on when the page has the turn to parse (parse-turns.ts): kept from chunk to chunk,
 * lent while the page waits long for bytes from the network, handed to an older page that waits.
 */
async function* inTurn(body: AsyncIterable<Uint8Array>, source: BodyChunks, turn: { turns: ParseTurns; ticket: number }, progress: PagingProgress): AsyncGenerator<Uint8Array> {
  const { turns, ticket } = turn;
  const chunks = body[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      if (source.buffered === 0) turns.idle(ticket);
      const next = await chunks.next();
      if (next.done) {
        done = true;
        return;
      }
      progress.bytes += next.value.byteLength;
      // Settled at once when the page keeps the turn; otherwise it waits (for the holder, or for an older page it
      // just handed the turn to).
      const turnTaken = turns.take(ticket);
      if (!turns.holds(ticket)) {
        // While the page waits for its turn its bytes wait in the socket: chunks held that long outlive the young
        // generation, and their buffers then stay until a full GC (16 ranges: ~20 MB more peak RSS).
        source.readAhead(0);
      }
      await turnTaken;
      // With the turn the page reads ahead (a page of a partitioned read starts at 0: see parse()).
      source.readAhead(BODY_READ_AHEAD);
      yield next.value;
    }
  } finally {
    turns.release(ticket);
    // Stopped early (the consumer left, or the parse failed): the body is closed as a for-await would.
    if (!done) await chunks.return?.();
  }
}

/**
 * Records one by one from the batches. A record of the batch at hand comes back at once (an already-settled promise);
 * an async generator would take several microtask round trips for each of the read's records.
 */
class RecordIterator implements AsyncIterator<JsonRecord> {
  private records: readonly JsonRecord[] = [];
  private at = 0;
  /** The batch being fetched: a next() called before it settles waits for it, so records keep their order. */
  private fetching: Promise<IteratorResult<JsonRecord>> | undefined;

  constructor(private readonly batches: AsyncGenerator<Batch, void, undefined>) {}

  next(): Promise<IteratorResult<JsonRecord>> {
    if (this.fetching) return this.fetching.then(() => this.next());
    if (this.at < this.records.length) return Promise.resolve({ value: this.records[this.at++]!, done: false });
    const fetching = this.fetch();
    this.fetching = fetching;
    const clear = () => {
      if (this.fetching === fetching) this.fetching = undefined;
    };
    fetching.then(clear, clear);
    return fetching;
  }

  /** Stops the read (a `break` out of `for await`): the batches' cleanup aborts what is still in flight. */
  async return(): Promise<IteratorResult<JsonRecord>> {
    this.records = [];
    await this.batches.return(undefined);
    return { value: undefined, done: true };
  }

  private async fetch(): Promise<IteratorResult<JsonRecord>> {
    for (;;) {
      const next = await this.batches.next();
      if (next.done) {
        this.records = [];
        return { value: undefined, done: true };
      }
      if (next.value.records.length > 0) {
        this.records = next.value.records;
        this.at = 1;
        return { value: this.records[0]!, done: false };
      }
    }
  }
}

