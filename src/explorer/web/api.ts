// Calls to the explorer's own API (same origin, relative URLs, so it works under any mount path).
import type { ErrorView } from '../api-types.js';

export class ApiError extends Error {
  constructor(readonly error: ErrorView) {
    super(error.message);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body = (await res.json()) as T & { error?: ErrorView };
  if (!res.ok) throw new ApiError(body.error ?? { code: 'HTTP_' + res.status, message: res.statusText });
  return body;
}

export async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
  const parsed = (await res.json()) as T & { error?: ErrorView };
  if (!res.ok) throw new ApiError(parsed.error ?? { code: 'HTTP_' + res.status, message: res.statusText });
  return parsed;
}

/** Reads an NDJSON response line by line as it arrives. */
export async function* ndjson(path: string, body: unknown, signal: AbortSignal): AsyncGenerator<unknown> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  if (!res.ok || !res.body) {
    const parsed = (await res.json().catch(() => ({}))) as { error?: ErrorView };
    throw new ApiError(parsed.error ?? { code: 'HTTP_' + res.status, message: res.statusText });
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (line.trim() !== '') yield JSON.parse(line) as unknown;
    }
  }
  if (rest.trim() !== '') yield JSON.parse(rest) as unknown;
}
