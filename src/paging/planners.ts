// The three ways to find the next page. Each planner says which request reads the next page, learns from the
// records and headers of the page just read, and says how to resume a page whose body broke off.
// None trusts a short page as the end: ACLs remove rows after the limit is applied.
import { ConnectorError } from '../errors.js';
import type { OutgoingRequest } from '../http/types.js';
import { composeQuery, splitQuery, tupleAfter, type SplitQuery } from './encoded-query.js';
import { countHeader, fieldText, nextLink, queryValue, requestFromUrl, withQuery, type QueryChanges } from './request-query.js';
import { stalled } from './progress-guard.js';
import { keyRangeTerms } from './key-range.js';
import type { JsonRecord, PageSource, PagingSettings, PagingWire } from './types.js';

export interface Planner {
  /** The request of the next page; undefined when the read is complete. */
  next(): OutgoingRequest | undefined;
  /** Records of the current page, in order, as they are read. */
  observe(records: JsonRecord[]): void;
  /** The current page is read completely: `read` records came, with these headers. */
  pageDone(read: number, headers: Record<string, string>): Promise<void>;
  /** The current page broke off after `read` records: the request that continues it, and records to skip. */
  resume(read: number): { request: OutgoingRequest; skip: number };
  /** Fields the planner added to the user's field list (to order by them); removed before records are handed out. */
  readonly addedFields: readonly string[];
}

export function createPlanner(source: PageSource, wire: PagingWire, settings: PagingSettings): Planner {
  switch (settings.strategy) {
    case 'keyset':
      return new KeysetPlanner(source, wire, settings);
    case 'link':
      return new LinkPlanner(source, wire, settings);
    case 'offset':
      return new OffsetPlanner(source.first, wire, settings);
  }
}

function sizeChanges(wire: PagingWire, settings: PagingSettings): QueryChanges {
  const size = settings.maxRecords !== undefined ? Math.min(settings.pageSize, settings.maxRecords) : settings.pageSize;
  return wire.limitQuery ? { [wire.limitQuery]: String(size) } : {};
}

/**
 * Order by the key (and the watermark first, for `since` reads) and ask for the rows after the last one read.
 * No deep offsets, and rows inserted or deleted during the read neither shift nor repeat the others.
 */
class KeysetPlanner implements Planner {
  private readonly fields: string[];
  private readonly user: SplitQuery;
  private cursor: string[] | undefined;
  /** A time-only `since` includes its own second until the first record gives a full cursor. */
  private inclusive = false;
  /** Rows to skip past the cursor: only when whole pages came back empty because ACLs hid every row. */
  private skipRows = 0;
  private first = true;
  /** The next page may be the last one (the last came back short, or the count says so): it asks for the count. */
  private countNext = false;
  /** Rows left after the last page, as the last count said (less the rows read since); unknown before a count. */
  private expectedLeft: number | undefined;
  /** Records the last page asked for. */
  private limit: number;
  private done = false;
  private current: OutgoingRequest | undefined;

  constructor(
    private readonly source: PageSource,
    private readonly wire: PagingWire,
    private readonly settings: PagingSettings,
  ) {
    const name = source.operation;
    if (!wire.queryParameter || !wire.keyField) {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: name, message: `${name}: keyset paging is not declared for this operation (its <paging> needs queryParameter and keyField)` });
    }
    this.limit = settings.pageSize;
    this.fields = [wire.keyField];
    if (settings.since !== undefined) {
      if (!wire.watermarkField) {
        throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: name, message: `${name}: incremental reads (since) are not declared for this operation (its <paging> needs watermarkField)` });
      }
      this.fields.unshift(wire.watermarkField);
      const comma = settings.since.lastIndexOf(',');
      const looksLikeCursor = comma > 0 && /^[^\s,]+$/.test(settings.since.slice(comma + 1));
      this.cursor = looksLikeCursor ? [settings.since.slice(0, comma).trim(), settings.since.slice(comma + 1)] : [settings.since.trim()];
      this.inclusive = !looksLikeCursor;
    }
    this.user = splitQuery(queryValue(source.first, wire.queryParameter) ?? '', wire.syntax);
    const fields = wire.fieldsQuery ? queryValue(source.first, wire.fieldsQuery) : undefined;
    if (fields !== undefined) {
      const listed = new Set(fields.split(',').map((f) => f.trim()));
      this.addedFields = this.fields.filter((f) => !listed.has(f));
    }
  }

  readonly addedFields: readonly string[] = [];

  next(): OutgoingRequest | undefined {
    if (this.done) return undefined;
    // The first page asks for the count too: it tells which later page is the last one, so that page can ask again.
    this.limit = this.first ? (this.settings.firstPageSize ?? this.settings.pageSize) : this.settings.pageSize;
    this.current = this.build(this.skipRows, this.first || this.countNext, this.limit === this.settings.pageSize ? undefined : this.limit);
    this.first = false;
    return this.current;
  }

  private build(offset: number, count: boolean, limit?: number): OutgoingRequest {
    const w = this.wire;
    const range = keyRangeTerms(w.keyField!, this.settings.keyRange);
    const alternatives = (this.cursor ? tupleAfter(this.fields, this.cursor, this.inclusive) : [[]]).map((alt) => [...alt, ...range]);
    const changes: QueryChanges = { ...sizeChanges(w, this.settings), [w.queryParameter!]: composeQuery(this.user, alternatives, this.fields, w.syntax) };
    if (limit !== undefined && w.limitQuery) changes[w.limitQuery] = String(limit);
    if (w.offsetQuery) changes[w.offsetQuery] = offset > 0 ? String(offset) : undefined;
    if (w.noCountQuery) changes[w.noCountQuery] = count ? undefined : 'true';
    if (this.addedFields.length > 0) changes[w.fieldsQuery!] = [queryValue(this.source.first, w.fieldsQuery), ...this.addedFields].join(',');
    return withQuery(this.source.first, changes);
  }

  observe(records: JsonRecord[]): void {
    if (records.length === 0) return;
    const last = records[records.length - 1]!;
    const values = this.fields.map((f) => fieldText(last, f));
    if (values.some((v) => v === undefined || v === '')) {
      const name = this.source.operation;
      throw new ConnectorError({ code: 'SERVICENOW_ERROR', operation: name, message: `${name}: a record came without ${this.fields.join(' or ')}, which keyset paging orders by` });
    }
    this.cursor = values as string[];
    this.inclusive = false;
    this.skipRows = 0;
  }

  async pageDone(read: number, headers: Record<string, string>): Promise<void> {
    let total = countHeader(headers, this.wire.totalHeader);
    const short = read < this.limit;
    // A short page (the limit did not cut it) whose count is no more than the rows it held: every row matching the
    // cursor query was in it, none hidden by ACLs, so the read ends here instead of asking for an empty page.
    if (read > 0 && short && total !== undefined && this.skipRows === 0 && total <= read) {
      this.done = true;
      return;
    }
    this.expectedLeft = total !== undefined ? total - read : this.expectedLeft === undefined ? undefined : this.expectedLeft - read;
    // After a short page, or when the count says the next page holds the rest, the next one asks for the count too.
    this.countNext = short || (this.expectedLeft !== undefined && this.expectedLeft <= this.settings.pageSize);
    if (read > 0) return;
    // An empty page ends the read, unless rows matching the cursor query exist and ACLs hid all of them:
    // the count (taken before ACLs) tells, and the next page then skips past them by offset.
    if (total === undefined) total = await this.countRemaining();
    if (total !== undefined && this.wire.offsetQuery && this.skipRows + this.settings.pageSize < total) {
      this.skipRows += this.settings.pageSize;
      return;
    }
    this.done = true;
  }

  private async countRemaining(): Promise<number | undefined> {
    const res = await this.source.open(this.build(0, true, 1));
    res.body.resume();
    await new Promise<void>((resolve) => {
      res.body.once('end', resolve);
      res.body.once('error', () => resolve());
      res.body.once('close', resolve);
    });
    return res.status >= 200 && res.status < 300 ? countHeader(res.headers, this.wire.totalHeader) : undefined;
  }

  resume(): { request: OutgoingRequest; skip: number } {
    return { request: this.build(this.skipRows, false), skip: 0 };
  }
}

/** Follow the Link header's next URL: ServiceNow's own order, whatever the query orders by. */
class LinkPlanner implements Planner {
  readonly addedFields: readonly string[] = [];
  private pending: OutgoingRequest | undefined;
  private current: OutgoingRequest | undefined;
  /** Queries of the pages asked for so far: a next link back to one of them would loop. */
  private readonly visited = new Set<string>();

  constructor(
    private readonly source: PageSource,
    private readonly wire: PagingWire,
    private readonly settings: PagingSettings,
  ) {
    this.pending = withQuery(source.first, sizeChanges(wire, settings));
  }

  next(): OutgoingRequest | undefined {
    this.current = this.pending;
    this.pending = undefined;
    if (this.current) this.visited.add(JSON.stringify(this.current.query));
    return this.current;
  }

  observe(): void {}

  async pageDone(_read: number, headers: Record<string, string>): Promise<void> {
    const url = nextLink(headers[this.wire.linkHeader]);
    this.pending = url !== undefined && this.current ? requestFromUrl(this.current, url) : undefined;
    if (this.pending && this.visited.has(JSON.stringify(this.pending.query))) {
      throw stalled(this.source.operation, this.settings.strategy, this.wire, `page ${this.visited.size}'s next link leads back to a page already read`);
    }
  }

  resume(read: number): { request: OutgoingRequest; skip: number } {
    return { request: this.current!, skip: read };
  }
}

/** Offset arithmetic, for instances that suppress the Link header; the count (when sent) says where the end is. */
export class OffsetPlanner implements Planner {
  readonly addedFields: readonly string[] = [];
  private readonly start: number;
  private readonly size: number;
  private page = 0;
  private total: number | undefined;
  private done = false;
  private current: OutgoingRequest | undefined;

  constructor(
    private readonly first: OutgoingRequest,
    private readonly wire: PagingWire,
    private readonly settings: PagingSettings,
  ) {
    if (!wire.offsetQuery || !wire.limitQuery) {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: first.operation, message: `${first.operation}: offset paging is not declared for this operation (its <paging> needs offsetQuery and limitQuery)` });
    }
    this.start = Number(queryValue(first, wire.offsetQuery) ?? 0) || 0;
    const limit = sizeChanges(wire, settings)[wire.limitQuery];
    this.size = Number(limit);
  }

  /** Request of page n (0-based), independent of the pages before it: parallel reads use it directly. */
  requestAt(n: number): OutgoingRequest {
    const changes: QueryChanges = { [this.wire.limitQuery!]: String(this.size), [this.wire.offsetQuery!]: String(this.start + n * this.size) };
    if (this.wire.noCountQuery) changes[this.wire.noCountQuery] = undefined;
    return withQuery(this.first, changes);
  }

  /** True when page n starts at or past the row count reported so far. */
  beyondEnd(n: number): boolean {
    return this.total !== undefined && this.start + n * this.size >= this.total;
  }

  learn(headers: Record<string, string>): void {
    const total = countHeader(headers, this.wire.totalHeader);
    if (total !== undefined) this.total = total;
  }

  next(): OutgoingRequest | undefined {
    if (this.done) return undefined;
    this.current = this.requestAt(this.page);
    return this.current;
  }

  observe(): void {}

  async pageDone(read: number, headers: Record<string, string>): Promise<void> {
    this.learn(headers);
    this.page++;
    // Without a count only an empty page ends the read; with one, an empty page before it is a page of hidden rows.
    if (this.beyondEnd(this.page) || (read === 0 && this.total === undefined)) this.done = true;
  }

  resume(read: number): { request: OutgoingRequest; skip: number } {
    return { request: this.current!, skip: read };
  }
}
