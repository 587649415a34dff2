// Partitioned keyset reads: the key space (declared in <paging> as keyDigits x keyLength, e.g. sys_id's 32 hex
// digits) is cut into N contiguous ranges, each read with keyset paging at the same time. The first range is open
// below and the last open above, so every key, even one outside the declared alphabet, falls in exactly one range.
// Memory stays flat in every mode: each range's page body is streamed and split into record batches as it arrives.
// As they come (the default, and partitions=auto), a range reads on only when its last batch has been taken (its
// connection waits meanwhile), so about N batches are in memory whatever the page size. Merged in the read's order
// (`ordered`: key, or watermark then key), each range reads ahead a batch (key order) or READ_AHEAD records
// (watermark order) (read-ahead.ts).
import type { PagingDescriptor } from '../catalogue/types.js';
import { ConnectorError } from '../errors.js';
import type { OutgoingRequest, RetryNotice } from '../http/types.js';
import type { AdaptiveLimit, Permit } from './adaptive-limit.js';
import { createPlanner, type Planner } from './planners.js';
import { ParseTurns } from './parse-turns.js';
import { ProgressGuard } from './progress-guard.js';
import { ONE_BATCH_AHEAD, ReadAhead } from './read-ahead.js';
import { settle, type Settled } from './settled.js';
import { fieldText } from './request-query.js';
import { keyRanges } from './key-range.js';
import type { JsonRecord, KeyRange, PageSource, PagingSettings, PagingStrategy, PagingWire } from './types.js';

/** More ranges than this only add requests: an instance node serves a few dozen API transactions at once at best. */
export const MAX_PARTITIONS = 64;
/** Records per merged batch of an ordered read. */
const MERGED_BATCH = 1000;
/**
 * Records a range of a read merged in watermark order (`since`) reads ahead of the merge (then its body waits on the
 * connection). That merge takes from every range in turn, and some read-ahead keeps it fed; what waits longer is
 * promoted and left dead. 16 ranges against the latency simulator, 200,040 incidents, 4 alternating runs each: one
 * batch 75 s; 30 records 47-57 s, peak RSS 132-162 MB; 100 records 45-54 s, 185-195 MB.
 */
const READ_AHEAD = 30;

/** Ranges of a partitions=auto read: enough for any limit it can discover; they are read `limit` at a time. */
export const AUTO_RANGES = 16;
/** The word that asks for the discovered partition count. */
export const AUTO = 'auto';

/** The partition count a read asked for (a number, or `auto`: AUTO_RANGES), checked against the strategy and the declaration. */
export function partitionCount(operation: string, paging: PagingDescriptor, value: unknown, strategy: PagingStrategy): number {
  if (value === undefined) return 1;
  const auto = value === AUTO;
  const n = auto ? AUTO_RANGES : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as number);
  const name = paging.partitionsFrom!;
  const fail = (message: string) => new ConnectorError({ code: 'INVALID_PARAMETER', operation, parameter: name, message: `${operation}: ${message}` });
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTITIONS) throw fail(`'${name}' must be ${AUTO} or a whole number from 1 to ${MAX_PARTITIONS} (got ${String(value)})`);
  if (n === 1) return 1;
  if (strategy !== 'keyset') {
    throw fail(`'${name}' splits the key space into ranges that are each read with keyset paging, so it needs ${paging.strategyFrom ?? 'the strategy'}=keyset (got ${strategy})`);
  }
  if (!paging.keyField || !paging.keyDigits || !paging.keyLength) {
    throw fail(`partitioned reads are not declared for this operation (its <paging> needs keyField, keyDigits and keyLength)`);
  }
  return n;
}

/** What a streamed page counted once its batches are all taken: records read and the last response's headers. */
export interface StreamedPageState {
  read: number;
  headers: Record<string, string>;
}

/** One page's records batch by batch as its body arrives (with retries and resumption from the cursor). */
export type StreamPage = (request: OutgoingRequest, planner: Planner, page: number, state: StreamedPageState, turns?: ParseTurns) => AsyncIterable<JsonRecord[]>;


export class PartitionedRead {
  private readonly ranges: KeyRange[];
  /** Watermark (`<time>,<key>`) of the last record handed out per range (incremental reads). */
  private readonly marks: Array<string | undefined>;
  /**
   * Which range parses next, the oldest page first (parse-turns.ts). Not for an ordered read: its merge needs the
   * next batch of every range, and a range holding the turn while its read-ahead is full would keep it from them.
   */
  private readonly turns: ParseTurns | undefined;

  constructor(
    private readonly source: PageSource,
    private readonly wire: PagingWire,
    private readonly settings: PagingSettings,
    private readonly streamPage: StreamPage,
    private readonly pageRead: () => void,
    /** partitions=auto: paces the page requests (undefined: every range reads at once). */
    private readonly limit?: AdaptiveLimit,
  ) {
    this.ranges = keyRanges(wire.keySpace!, settings.partitions);
    this.marks = this.ranges.map(() => undefined);
    this.turns = settings.ordered ? undefined : new ParseTurns();
  }

  /** Batches of records, numbered for the engine's progress guard (each batch its own number). */
  async *batches(): AsyncGenerator<{ page: number; records: JsonRecord[] }> {
    let page = 0;
    const source = this.settings.ordered ? this.merged() : this.asTheyCome(this.ranges.map((range) => this.rangeBatches(range)));
    for await (const records of source) yield { page: page++, records };
  }

  /**
   * After `records` were handed out (an incremental read): the watermark to continue from. It is the smallest
   * position reached among the ranges (a range with nothing handed out yet is still at `since`), so the next read
   * misses nothing; it may repeat records another range already handed out (at-least-once, as documented).
   */
  watermarkAfter(records: readonly JsonRecord[]): string | undefined {
    const key = this.wire.keyField!;
    for (const r of records) this.marks[this.rangeOf(fieldText(r, key) ?? '')] = this.markOf(r);
    let lowest: string | undefined;
    for (const mark of this.marks) {
      const m = mark ?? this.settings.since;
      if (m !== undefined && (lowest === undefined || m < lowest)) lowest = m;
    }
    return lowest;
  }

  private rangeOf(key: string): number {
    let i = 0;
    while (i < this.ranges.length - 1 && key >= this.ranges[i]!.to!) i++;
    return i;
  }

  private markOf(record: JsonRecord): string {
    return `${fieldText(record, this.wire.watermarkField!)},${fieldText(record, this.wire.keyField!)}`;
  }

  /**
   * One range's records, batch by batch as each page's body arrives. Pulled, not pushed: until its last batch is
   * taken, the range reads no further (its response waits on the connection), so each range holds one batch.
   * With partitions=auto each page waits for a permit of the adaptive limit and holds it to its end (the count that
   * may confirm the range's end included); every request of the range, resumptions and that count too, reports its
   * retries to the limit.
   */
  private async *rangeBatches(range: KeyRange): AsyncGenerator<JsonRecord[]> {
    const limit = this.limit;
    let permit: Permit | undefined;
    const onRetry = (r: RetryNotice) => {
      if (permit) limit!.retrying(permit, r.status, r.retryAfterMs, r.delayMs);
    };
    const source = limit ? { ...this.source, first: { ...this.source.first, onRetry } } : this.source;
    const planner = createPlanner(source, this.wire, { ...this.settings, keyRange: range, ...this.firstPageOf(range) });
    const guard = new ProgressGuard(this.source.operation, 'keyset', this.wire);
    for (let page = 0, req = planner.next(); req !== undefined; page++, req = planner.next()) {
      const state: StreamedPageState = { read: 0, headers: {} };
      permit = limit ? await limit.acquire() : undefined;
      let pageMs: number | undefined;
      try {
        // The page's time for the limit: from the request to its last byte, less the time this range waited for the
        // consumer to take its batches (that is the consumer's speed, not the instance's).
        const started = performance.now();
        let waited = 0;
        for await (const records of this.streamPage(req, planner, page, state, this.turns)) {
          guard.check(page, records);
          if (records.length === 0) continue;
          const handed = performance.now();
          yield records;
          waited += performance.now() - handed;
        }
        if (state.read >= this.settings.pageSize) pageMs = performance.now() - started - waited;
        this.pageRead();
        await planner.pageDone(state.read, state.headers);
      } finally {
        if (permit) limit!.release(permit, pageMs);
        permit = undefined;
      }
    }
  }

  /**
   * Ranges read at once all send their first page together, so with a per-row cost on the instance every first page
   * would arrive at the same moment and the CPU would wait for all of them, then parse them one by one. Range i of N
   * asks for (i+1)/N of a page first: the first answers come sooner and one after another, and parsing starts while the
   * larger ones are still on their way. Not for an ordered merge (it takes the ranges in order) nor for auto (its
   * ranges start a few at a time).
   */
  private firstPageOf(range: KeyRange): { firstPageSize?: number } {
    if (this.settings.ordered || this.limit) return {};
    const i = this.ranges.indexOf(range);
    return { firstPageSize: Math.max(1, Math.ceil((this.settings.pageSize * (i + 1)) / this.ranges.length)) };
  }

  /**
   * Batches from every range, handed out as they arrive. Each range's next batch lands in a queue that
   * wakes the consumer; no Promise.race over the ranges: a race leaves a reaction on every still-pending range,
   * and each reaction keeps the batch that race resolved with, so a range waiting for its response while the others
   * streamed thousands of batches kept all of them (234 MB of heap in a 16-range read of 100,000 records).
   */
  private async *asTheyCome(ranges: Array<AsyncGenerator<JsonRecord[]>>): AsyncGenerator<JsonRecord[]> {
    const ready: Array<{ i: number; s: Settled<IteratorResult<JsonRecord[]>> }> = [];
    let wake: (() => void) | undefined;
    let pending = 0;
    const ask = (i: number) => {
      pending++;
      void settle(ranges[i]!.next()).then((s) => {
        pending--;
        ready.push({ i, s });
        const w = wake;
        wake = undefined;
        w?.();
      });
    };
    ranges.forEach((_, i) => ask(i));
    while (pending > 0 || ready.length > 0) {
      if (ready.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const { i, s } = ready.shift()!;
      if (!s.ok) throw s.error;
      if (s.value.done) continue;
      yield s.value.value;
      // Asked for once this batch has been consumed: one batch per range in memory.
      ask(i);
    }
  }

  /**
   * A k-way merge of the ranges in the read's order: the key, or the watermark field then the key (since); the merge
   * holds one batch per range. In key order the ranges are handed out one after the other, so a range waits the whole
   * read of those before it: it reads ahead one batch (records held that long leave the young generation and stay,
   * dead, until a full GC: 16 ranges peaked at 139-144 MB with 100 records each, 123-125 MB with a batch, as fast).
   * In watermark order the merge takes from all of them in turn: each reads ahead READ_AHEAD records.
   */
  private async *merged(): AsyncGenerator<JsonRecord[]> {
    const key = this.wire.keyField!;
    const sortKey =
      this.settings.since !== undefined
        ? (r: JsonRecord) => `${fieldText(r, this.wire.watermarkField!) ?? ''},${fieldText(r, key) ?? ''}`
        : (r: JsonRecord) => fieldText(r, key) ?? '';
    const readAhead = this.settings.since !== undefined ? READ_AHEAD : ONE_BATCH_AHEAD;
    const ranges = this.ranges.map((range) => new ReadAhead(this.rangeBatches(range), readAhead));
    const heads: Array<{ records: JsonRecord[]; at: number; sort: string } | undefined> = [];
    const load = async (i: number): Promise<void> => {
      const next = await ranges[i]!.next();
      heads[i] = next.done ? undefined : { records: next.value, at: 0, sort: sortKey(next.value[0]!) };
    };
    try {
      await Promise.all(ranges.map((_, i) => load(i)));
      let out: JsonRecord[] = [];
      for (;;) {
        let min = -1;
        for (let i = 0; i < heads.length; i++) {
          const h = heads[i];
          if (h !== undefined && (min < 0 || h.sort < heads[min]!.sort)) min = i;
        }
        if (min < 0) break;
        const head = heads[min]!;
        out.push(head.records[head.at]!);
        head.at++;
        if (head.at < head.records.length) {
          head.sort = sortKey(head.records[head.at]!);
        } else {
          // Hand out what is merged before waiting for this range's next batch.
          if (out.length > 0) yield out;
          out = [];
          await load(min);
        }
        if (out.length >= MERGED_BATCH) {
          yield out;
          out = [];
        }
      }
      if (out.length > 0) yield out;
    } finally {
      for (const range of ranges) range.close();
    }
  }
}
