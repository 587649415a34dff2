// Small HTTP helpers for the simulator tests: real requests over 127.0.0.1 with node's fetch.

export const ADMIN = 'Basic ' + Buffer.from('admin:admin').toString('base64');
export const ITIL = 'Basic ' + Buffer.from('itil:itil').toString('base64');

export interface CallOptions {
  method?: string;
  auth?: string | null;
  body?: unknown;
  /** Raw body text (sent as is, e.g. malformed JSON or a form). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: any;
}

export async function call(base: string, path: string, o: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { Accept: 'application/json', ...o.headers };
  const auth = o.auth === undefined ? ADMIN : o.auth;
  if (auth) headers.Authorization = auth;
  let body: string | undefined;
  if (o.raw !== undefined) body = o.raw;
  else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(base + path, { method: o.method ?? 'GET', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Parses a Link header into rel -> URL. */
export function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(',<')) {
    const m = /<?([^>]+)>;rel="([a-z]+)"/.exec(part);
    if (m) out[m[2]] = m[1];
  }
  return out;
}
