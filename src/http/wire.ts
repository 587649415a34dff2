// Small conversions between the contract's request/response shapes and undici's.
import type { Dispatcher } from 'undici';
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

/** Reads an error response's body; a body that breaks off is not worth failing over. */
export async function readQuietly(body: Dispatcher.ResponseData['body']): Promise<string> {
  try {
    return await body.text();
  } catch {
    return '';
  }
}
