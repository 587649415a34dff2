// X-Total-Count and the Link header, formatted as ServiceNow does:
// <url>;rel="first",<url>;rel="prev",<url>;rel="next",<url>;rel="last" with absolute URLs and no spaces.

export interface PagingInput {
  readonly baseUrl: string;
  readonly path: string;
  /** Raw query string of the request, to repeat its parameters in order. */
  readonly rawQuery: string;
  readonly offset: number;
  readonly limit: number;
  /** Rows matching the query; undefined with sysparm_no_count (no `last`). */
  readonly total: number | undefined;
  /** Rows the page held before the ACL removed any (to guess `next` without a count). */
  readonly pageRows: number;
  readonly linkOnSinglePage: boolean;
  /** Send rel="prev" on the first page too, with a negative offset, as recorded instances do. */
  readonly prevOnFirstPage: boolean;
}

export function linkHeader(p: PagingInput): string | undefined {
  const entries: string[] = [];
  const url = (offset: number): string => `<${p.baseUrl}${p.path}?${withOffset(p.rawQuery, offset, p.limit)}>`;
  const hasNext = p.total === undefined ? p.pageRows >= p.limit : p.offset + p.limit < p.total;
  const hasPrev = p.offset > 0;
  if (!hasNext && !hasPrev && !p.linkOnSinglePage) return undefined;
  entries.push(`${url(0)};rel="first"`);
  // ServiceNow computes prev as offset - limit without clamping: the first page's prev has a negative offset.
  if (hasPrev || p.prevOnFirstPage) entries.push(`${url(hasPrev ? Math.max(0, p.offset - p.limit) : p.offset - p.limit)};rel="prev"`);
  if (hasNext) entries.push(`${url(p.offset + p.limit)};rel="next"`);
  if (p.total !== undefined) {
    const last = p.total > 0 ? Math.floor((p.total - 1) / p.limit) * p.limit : 0;
    entries.push(`${url(last)};rel="last"`);
  }
  return entries.join(',');
}

/** The request's parameters in their order, with sysparm_offset (and sysparm_limit) set for another page. */
function withOffset(rawQuery: string, offset: number, limit: number): string {
  const params = new URLSearchParams(rawQuery);
  const parts: string[] = [];
  let sawLimit = false;
  let sawOffset = false;
  for (const [k, v] of params) {
    if (k === 'sysparm_offset') {
      if (sawOffset) continue;
      sawOffset = true;
      parts.push(`sysparm_offset=${offset}`);
    } else if (k === 'sysparm_limit') {
      if (sawLimit) continue;
      sawLimit = true;
      parts.push(`sysparm_limit=${limit}`);
    } else parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  if (!sawLimit) parts.push(`sysparm_limit=${limit}`);
  if (!sawOffset) parts.push(`sysparm_offset=${offset}`);
  return parts.join('&');
}
