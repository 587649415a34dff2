// A deliberately misbehaving table server over real HTTP on 127.0.0.1, for what the simulator (a faithful
// ServiceNow) never does: ignoring the paging position, next links that loop or are relative, bodies that trickle
// or are huge. It serves GET /api/now/table/<table> with sysparm_limit / sysparm_offset and a Link header.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Misbehaviour =
  /** Every request gets the first page (cursor and offset ignored), with a Link to the "next" offset. */
  | 'ignore-position'
  /** Honest pages, but rel="next" is the URL just requested. */
  | 'same-next-link'
  /** Honest pages whose rel="next" is relative (`?sysparm_offset=..`), or `/api/...` every other page. */
  | 'relative-next-link'
  /** rel="next" is not a URL at all. */
  | 'broken-next-link'
  /** Headers at once, then the body a few bytes at a time, slower and slower, never finishing in time. */
  | 'trickle'
  /** Headers and the first bytes of the body at once, then nothing more (the connection stays open). */
  | 'stall'
  /** A body of `hugeBytes` bytes, with or without Content-Length. */
  | 'huge-declared'
  | 'huge-chunked';

export interface SeenRequest {
  url: URL;
  headers: IncomingHttpHeaders;
}

export interface HostileServer {
  url: string;
  mode: Misbehaviour;
  rows: number;
  hugeBytes: number;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startHostileServer(mode: Misbehaviour, rows = 10): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const state = { mode, rows, hugeBytes: 0 };
  const record = (i: number) => ({ sys_id: i.toString(16).padStart(32, '0'), number: `INC${String(i).padStart(7, '0')}` });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ url, headers: req.headers });
    const limit = Number(url.searchParams.get('sysparm_limit') ?? 10);
    const honestOffset = Number(url.searchParams.get('sysparm_offset') ?? 0);
    const offset = state.mode === 'ignore-position' ? 0 : honestOffset;
    const page = Array.from({ length: Math.max(0, Math.min(limit, state.rows - offset)) }, (_, k) => record(offset + k));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-total-count': String(state.rows) };
    const nextOffset = honestOffset + limit;
    if (nextOffset < state.rows) {
      const next = new URL(url);
      next.searchParams.set('sysparm_offset', String(nextOffset));
      const target =
        state.mode === 'same-next-link'
          ? url.pathname + url.search
          : state.mode === 'relative-next-link'
            ? (nextOffset / limit) % 2 === 1
              ? next.search
              : next.pathname + next.search
            : state.mode === 'broken-next-link'
              ? 'http://[not a host'
              : `http://127.0.0.1:${(server.address() as AddressInfo).port}${next.pathname}${next.search}`;
      headers['link'] = `<${target}>;rel="next"`;
    }
    const body = JSON.stringify({ result: page });
    if (state.mode === 'trickle') {
      res.writeHead(200, headers);
      let at = 0;
      const drip = () => {
        if (res.destroyed || at >= body.length) return void res.end();
        res.write(body.slice(at, at + 4));
        at += 4;
        const timer = setTimeout(drip, 40);
        timers.add(timer);
      };
      drip();
      return;
    }
    if (state.mode === 'stall') {
      res.writeHead(200, headers);
      res.write(body.slice(0, 40));
      return;
    }
    if (state.mode === 'huge-declared' || state.mode === 'huge-chunked') {
      const padded = JSON.stringify({ result: page, padding: 'x'.repeat(Math.max(0, state.hugeBytes - body.length)) });
      if (state.mode === 'huge-declared') headers['content-length'] = String(Buffer.byteLength(padded));
      res.writeHead(200, headers);
      res.end(padded);
      return;
    }
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(m: Misbehaviour) {
      state.mode = m;
    },
    get rows() {
      return state.rows;
    },
    set rows(n: number) {
      state.rows = n;
    },
    get hugeBytes() {
      return state.hugeBytes;
    },
    set hugeBytes(n: number) {
      state.hugeBytes = n;
    },
    requests,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
