// Reads the paging headers of a list response through the names the operation's <paging> declares (totalHeader,
// linkHeader): the total row count and the Link header's rel="next" URL. The parsers are the paging engine's own,
// so a single-page call and an all-pages read can never read the same header differently.
import type { PagingDescriptor } from '../catalogue/index.js';
import { countHeader, nextLink, pagingWire } from '../paging/index.js';

export interface PagingHeaders {
  totalCount?: number;
  nextLink?: string;
}

/** Nothing for an operation that declares no paging: it has no declared header names to read. */
export function pagingHeadersOf(paging: PagingDescriptor | undefined, headers: Readonly<Record<string, string>>): PagingHeaders {
  if (paging === undefined) return {};
  const wire = pagingWire(paging);
  const out: PagingHeaders = {};
  const total = countHeader(headers, wire.totalHeader);
  if (total !== undefined) out.totalCount = total;
  const next = nextLink(headers[wire.linkHeader]);
  if (next !== undefined) out.nextLink = next;
  return out;
}
