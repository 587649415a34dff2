// Contract of the all-pages engine. The engine is generic: every name it puts on the wire (query, limit, offset,
// no-count parameters, the key and watermark fields, the Link and count headers, the query syntax) comes from the
// operation's <paging> declaration, read by the catalogue into a PagingDescriptor.
import type { OutgoingRequest, StreamingResponse } from '../http/types.js';
import type { ConcurrencyProgress } from './adaptive-limit.js';

export type JsonRecord = Record<string, unknown>;

export type PagingStrategy = 'keyset' | 'link' | 'offset';

/** How one all-pages read runs; built from the operation's parameter values by pagingSettings(). */
export interface PagingSettings {
  strategy: PagingStrategy;
  /** Records asked for per page. */
  pageSize: number;
  /** Stop after this many records (undefined: every record). */
  maxRecords?: number;
  /** Incremental read: a watermark returned by an earlier read (`<time>` or `<time>,<key>`). */
  since?: string;
  /** Read the next page while the current one is consumed (at most two pages in memory). */
  prefetch: boolean;
  /** Offset ranges read at once (offset strategy only; 1 = sequential). */
  parallel: number;
  /** Ask for the total row count once, on the first page (for progress); keyset pages skip the count otherwise. */
  countTotal: boolean;
  /** Key ranges read at once with keyset paging (1 = one range, the whole key space). See partitions.ts. */
  partitions: number;
  /** partitions=auto: the ranges are read with as many requests in flight as the server takes (adaptive-limit.ts). */
  adaptive?: boolean;
  /** Partitioned reads: hand records out in the read's order (merged) rather than as they come. */
  ordered: boolean;
  /** This read covers only keys in [from, to) (one partition of a partitioned read); either end may be open. */
  keyRange?: KeyRange;
  /** Records asked for on the first page only (a partitioned read staggers its ranges' first pages); pageSize after. */
  firstPageSize?: number;
}

/** A half-open range of the key field's values, compared as the server compares them (text order). */
export interface KeyRange {
  from?: string;
  to?: string;
}

/** The wire names of the read, from the <paging> declaration. */
export interface PagingWire {
  /** Member of the response body holding the page's records (e.g. result). */
  records: string;
  queryParameter?: string;
  limitQuery?: string;
  offsetQuery?: string;
  noCountQuery?: string;
  fieldsQuery?: string;
  /** Lower-case header names. */
  linkHeader: string;
  totalHeader: string;
  keyField?: string;
  watermarkField?: string;
  /** The key field's values: `length` characters out of `digits` (in ascending order), for partitioned reads. */
  keySpace?: { digits: string; length: number };
  syntax: QuerySyntax;
}

/** Separators of the encoded query language the operation speaks. */
export interface QuerySyntax {
  /** Between the conditions of one group (AND). Doubled, it is a literal inside a value. */
  and: string;
  /** Between groups whose results are ORed. */
  or: string;
  /** Prefix of an ordering term (`ORDERBYfield`; `ORDERBYDESCfield` starts with it too). */
  orderBy: string;
}

/** What the engine needs from the runtime: the first request, a way to send it streaming, and error mapping. */
export interface PageSource {
  operation: string;
  /** The operation's request as rendered from the user's parameters. */
  first: OutgoingRequest;
  open(request: OutgoingRequest): Promise<StreamingResponse>;
  /**
   * The operation's deadline, ms: each page (its request, retries and the whole body) must arrive within it; time
   * the consumer spends between records does not count. Undefined: only the transport's own timeouts apply.
   */
  deadlineMs?: number;
  /** Turns a non-2xx page (body read as text) into the error to throw. */
  failure(status: number, headers: Record<string, string>, body: string): Error;
}

/** One page as handed out by RecordStream.pages(). */
export interface RecordPage {
  /** 0-based page number. */
  index: number;
  records: JsonRecord[];
}

export interface PagingProgress {
  records: number;
  pages: number;
  /** Rows matching the query, when the instance reported it (X-Total-Count). */
  totalCount?: number;
  /** Bytes of page bodies received. */
  bytes: number;
  /** performance.now() when the first page was asked for. */
  startedAt: number;
  /**
   * Records received from page bodies and not yet handed out (read ahead, or waiting for the consumer), now and at
   * most so far: what the read holds besides the batch being consumed. It stays near a few received chunks' records
   * in every mode but `prefetch` (a whole page read ahead).
   */
  buffered: number;
  peakBuffered: number;
  /** partitions=auto: the discovered limit of requests in flight, live. */
  concurrency?: ConcurrencyProgress;
}

/**
 * Every record of a list, read page by page as it is iterated. Iterate it once, either record by record
 * (`for await (const r of stream)`) or page by page (`stream.pages()`). Breaking out of the loop stops the read.
 */
export interface RecordStream extends AsyncIterable<JsonRecord> {
  pages(): AsyncIterable<RecordPage>;
  /** Live counters (records, pages, total count when known). */
  readonly progress: Readonly<PagingProgress>;
  /**
   * After an incremental (`since`) read: the watermark to pass as `since` next time to continue after the last
   * record read (`<watermark field value>,<key>`); the given `since` when nothing new was read; undefined otherwise.
   */
  watermark(): string | undefined;
}
