// An all-pages read must move forward: a server that ignores the keyset cursor or the offset, or whose next link
// leads back to a page already read, would otherwise make the read run forever, handing out the same records again.
// A page that starts with the record the page before it started with did not move; the read ends with an error
// naming the strategy before any record of that page is handed out.
import { ConnectorError } from '../errors.js';
import { fieldText } from './request-query.js';
import type { JsonRecord, PagingStrategy, PagingWire } from './types.js';

export class ProgressGuard {
  private page = -1;
  private previousFirst: string | undefined;

  constructor(
    private readonly operation: string,
    private readonly strategy: PagingStrategy,
    private readonly wire: PagingWire,
  ) {}

  /** Called with each batch, in order, before its records are handed out. */
  check(page: number, records: readonly JsonRecord[]): void {
    if (page === this.page || records.length === 0) return;
    const first = this.identity(records[0]!);
    if (first === this.previousFirst) {
      throw stalled(this.operation, this.strategy, this.wire, `page ${page + 1} starts with the same record as page ${this.page + 1}`);
    }
    this.page = page;
    this.previousFirst = first;
  }

  /** The key when the operation declares one (cheap), else the whole record. */
  private identity(record: JsonRecord): string {
    const key = this.wire.keyField !== undefined ? fieldText(record, this.wire.keyField) : undefined;
    return key !== undefined ? `key:${key}` : JSON.stringify(record);
  }
}

/** The error that ends a read that stopped moving; it says which request parameter the server seems to ignore. */
export function stalled(operation: string, strategy: PagingStrategy, wire: PagingWire, what: string): ConnectorError {
  const ignored =
    strategy === 'keyset'
      ? `the cursor condition in ${wire.queryParameter ?? 'the query'}`
      : strategy === 'offset'
        ? `${wire.offsetQuery ?? 'the offset'}`
        : `the position in its ${wire.linkHeader} header's next URL`;
  return new ConnectorError({
    code: 'SERVICENOW_ERROR',
    operation,
    retryable: false,
    message:
      `${operation}: the ${strategy} paging made no progress: ${what}, so the server seems to ignore ${ignored}. ` +
      'The read stopped so that no record is handed out twice; try another paging strategy.',
  });
}
