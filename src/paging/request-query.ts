// Small edits of a rendered request's query parameters (set, remove, read), and the Link header's next URL.
import { ConnectorError } from '../errors.js';
import type { OutgoingRequest } from '../http/types.js';
import { redactText } from '../logger.js';

export type QueryChanges = Record<string, string | undefined>;

/** A copy of the request with each named parameter set (replacing every occurrence) or, for undefined, removed. */
export function withQuery(req: OutgoingRequest, changes: QueryChanges): OutgoingRequest {
  const query: Array<readonly [string, string]> = [];
  for (const pair of req.query) if (!(pair[0] in changes)) query.push(pair);
  for (const [name, value] of Object.entries(changes)) if (value !== undefined) query.push([name, value]);
  return { ...req, query };
}

export function queryValue(req: OutgoingRequest, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  for (const [k, v] of req.query) if (k === name) return v;
  return undefined;
}

// Base for resolving a relative next-page URL: only its query is used, so the host never matters (and the request
// always goes to the connection's own instance, with its credential, whatever host a Link header names).
const UNUSED_ORIGIN = 'http://next-page.invalid';

/**
 * The same request aimed at another page given as a URL: its path stays, its query becomes the URL's. A relative
 * URL (`?offset=20`, `/api/...?...`) is resolved against the request's path; one that is no URL at all is
 * the server's error, reported as such.
 */
export function requestFromUrl(req: OutgoingRequest, url: string): OutgoingRequest {
  let parsed: URL;
  try {
    parsed = new URL(url, UNUSED_ORIGIN + req.path);
  } catch {
    const shown = redactText(url.length > 200 ? url.slice(0, 200) + '...' : url);
    throw new ConnectorError({ code: 'SERVICENOW_ERROR', operation: req.operation, message: `${req.operation}: the next-page link is not a URL: ${JSON.stringify(shown)}` });
  }
  return { ...req, query: [...parsed.searchParams.entries()] };
}

/** `<url>;rel="first",<url>;rel="next"`: the URL whose rel list holds next (RFC 8288), if any. */
export function nextLink(raw: string | undefined): string | undefined {
  if (raw === undefined || !raw.includes('next')) return undefined;
  const re = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(raw)) !== null) {
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(match[2]!);
    if (rel && rel[1]!.split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

/** A header holding a whole number in decimal digits (a row count), or undefined: `0x10`, `1e3` or '' are no count. */
export function countHeader(headers: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = headers[name]?.trim();
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

/** A field's plain value in a record: the text, or `.value` of a `{display_value, value}` / reference object. */
export function fieldText(record: Record<string, unknown>, field: string): string | undefined {
  const v = record[field];
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  return v === undefined || v === null ? undefined : String(v);
}
