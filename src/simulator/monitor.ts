// Counts every request (including rejected and faulted ones) and keeps a bounded, redacted request log.
// The simulator stands alone (it imports nothing of the runtime), so its masking rules are its own.
import type { FaultKind, RequestLogEntry, SimulatorStats } from './types.js';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
/** Logged bodies are cut here so a few large imports cannot fill the memory. */
const MAX_LOGGED_BODY = 64 * 1024;

function emptyStats(): SimulatorStats {
  return { totalRequests: 0, byRoute: {}, byStatus: {}, tokenRequests: {}, faultsInjected: {}, rateLimited: 0, authFailures: 0 };
}

export class Monitor {
  private counters: SimulatorStats = emptyStats();
  private readonly log: RequestLogEntry[] = [];

  constructor(private readonly capacity: number) {}

  begin(entry: Omit<RequestLogEntry, 'status' | 'headers' | 'body'> & { headers: Record<string, string | string[] | undefined>; body: string }): RequestLogEntry {
    const c = this.counters;
    c.totalRequests++;
    c.byRoute[entry.route] = (c.byRoute[entry.route] ?? 0) + 1;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.headers)) {
      if (v === undefined) continue;
      const text = Array.isArray(v) ? v.join(', ') : v;
      headers[k] = SECRET_HEADERS.has(k) ? redactAuthorization(text) : redactText(text);
    }
    const body = entry.body.length > MAX_LOGGED_BODY ? entry.body.slice(0, MAX_LOGGED_BODY) + `...(${entry.body.length} characters)` : entry.body;
    const logged: RequestLogEntry = { ...entry, headers, body: redactText(body), status: 0 };
    this.log.push(logged);
    if (this.log.length > this.capacity) this.log.splice(0, this.log.length - this.capacity);
    return logged;
  }

  finish(entry: RequestLogEntry, status: number): void {
    entry.status = status;
    const key = status === 0 ? 'reset' : String(status);
    this.counters.byStatus[key] = (this.counters.byStatus[key] ?? 0) + 1;
  }

  fault(kind: FaultKind): void {
    this.counters.faultsInjected[kind] = (this.counters.faultsInjected[kind] ?? 0) + 1;
  }

  tokenRequest(grant: string): void {
    this.counters.tokenRequests[grant] = (this.counters.tokenRequests[grant] ?? 0) + 1;
  }

  rateLimited(): void {
    this.counters.rateLimited++;
  }

  authFailure(): void {
    this.counters.authFailures++;
  }

  stats(): SimulatorStats {
    return structuredClone(this.counters);
  }

  resetStats(): void {
    this.counters = emptyStats();
  }

  requests(): ReadonlyArray<RequestLogEntry> {
    return this.log.map((e) => ({ ...e, query: { ...e.query }, headers: { ...e.headers } }));
  }

  clearRequests(): void {
    this.log.length = 0;
  }
}

/** Keeps the scheme (Basic/Bearer) so tests can see which auth was used, never the credentials. */
function redactAuthorization(value: string): string {
  const space = value.indexOf(' ');
  return space > 0 ? `${value.slice(0, space)} ***` : '***';
}

/** Masks credentials inside logged text: URL user-info, Authorization values, secrets in forms, queries and JSON. */
function redactText(text: string): string {
  return text
    .replace(/\/\/([^/\s:@]+):([^/\s]+)@/g, '//$1:***@')
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/\b(password|client_secret|access_token|refresh_token|assertion)=([^&\s"]+)/gi, '$1=***')
    .replace(/"(password|client_secret|access_token|refresh_token|clientSecret|accessToken|refreshToken)"\s*:\s*"(?:[^"\\]|\\.)*"/g, '"$1":"***"');
}
