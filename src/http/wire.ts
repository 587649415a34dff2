// Small conversions between the contract's request/response shapes and undici's.
import type { Dispatcher } from 'undici';
import { ConnectorError } from '../errors.js';
import { readLimited } from './body-limit.js';
import type { OutgoingRequest } from './types.js';

/** Lower-case names (so a caller's `Accept` replaces ours instead of doubling it), JSON by default, our Authorization last. */
export function buildHeaders(req: OutgoingRequest, authorization: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const given = req.headers;
  for (const name in given) headers[name.toLowerCase()] = given[name];
  if (req.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  if (authorization !== undefined) headers.authorization = authorization;
  return headers;
}

// What undici accepts in a header value (its own check, lib/core/util.js): tab, printable ASCII and Latin-1.
// A CR or LF would split the header; undici refuses it locally, before anything is sent.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** The first character of a header value that undici would refuse, as `U+000D`; undefined when the value is fine. */
export function headerValueProblem(value: string): string | undefined {
  const bad = INVALID_HEADER_VALUE.exec(value);
  return bad === null ? undefined : 'U+' + bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Refuses a header value undici would refuse, before sending, as the caller's bad input: nothing was sent, so the
 * error must not read like a network failure (for a create, that would be "outcome unknown").
 */
export function checkHeaderValues(req: OutgoingRequest, headers: Readonly<Record<string, string>>): void {
  for (const name in headers) {
    const problem = headerValueProblem(headers[name]!);
    if (problem === undefined) continue;
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation: req.operation,
      message: `${req.operation}: the ${name} header's value holds ${problem}, which a header cannot carry (a line break would split it); nothing was sent`,
    });
  }
}

/** undici gives repeated headers (set-cookie) as arrays; the contract wants one string per name. No copy when none is. */
export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  for (const name in raw) {
    if (typeof raw[name] !== 'string') {
      const flat: Record<string, string> = {};
      for (const n in raw) {
        const v = raw[n];
        if (v !== undefined) flat[n] = Array.isArray(v) ? v.join(', ') : v;
      }
      return flat;
    }
  }
  return raw as Record<string, string>;
}

export function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.includes('json');
}

/** A stream body is consumed by the first attempt, so it can never be sent again. */
export function isStream(body: OutgoingRequest['body']): boolean {
  return body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body);
}

/** Reads an error response's body (up to `limit` bytes, else ''); a body that breaks off is not worth failing over. */
export async function readQuietly(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  try {
    return (await readLimited(body, limit, undefined)) ?? '';
  } catch {
    return '';
  }
}
