// A Table API server that costs (almost) nothing: every answer is a pre-rendered Buffer, so a client benchmark
// against it measures the client alone (against the simulator, the simulator's own CPU is the bottleneck). The
// table is `rows` realistic full incident records (templates read once from a generated simulator, each given its
// own sys_id, spread uniformly over the key space and ascending with the row), answered like the Table API:
//   GET /api/now/table/<table>?sysparm_query=...&sysparm_limit=N&sysparm_offset=K
//     the keyset terms of sysparm_query are honoured (sys_id>X, sys_id>=X, sys_id<X, sys_id<=X; ORDERBYsys_id is
//     the only order there is), every other term is ignored; the pages of `pageSize` records that a keyset read
//     asks for are rendered at start, any other slice on first use (kept in a small cache);
//   GET /api/now/table/<table>/<sys_id>  one record ({"result":{...}}), 404 for an unknown sys_id.
// No authentication is checked, X-Total-Count is sent unless sysparm_no_count=true, no Link header.
//
// In-process: `const s = await startStaticServer({ rows: 100_000, pageSize: 2000 }); s.url; await s.close()`.
// In a child of its own (so that the client's process holds only the client): `startStaticServerProcess(...)`,
// or `node dist/bench/support/static-server.js --rows 100000 --page-size 2000` (prints `listening on <url>`).
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../../src/simulator/index.js';
import { ADMIN_AUTH, startListeningChild, type SimulatorProcess } from './child.js';

export interface StaticServerOptions {
  /** Records in the table (default 100,000). */
  rows?: number;
  /** The page size a keyset read will ask for: these pages are rendered at start (default 2,000). */
  pageSize?: number;
  /** Distinct record bodies the rows cycle through (default 1,000). */
  templates?: number;
}

export interface StaticServer {
  url: string;
  rows: number;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

/** Slices rendered on demand (other limits, offsets, cursors between page boundaries) kept at most. */
const EXTRA_CACHE = 256;
/** The Table API's default sysparm_limit. */
const DEFAULT_LIMIT = 10_000;

export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const rows = options.rows ?? 100_000;
  const pageSize = options.pageSize ?? 2000;
  const templateCount = Math.min(options.templates ?? 1000, rows);
  let answered = 0;
  let table: Table | undefined;
  const server = createServer((req, res) => {
    answered++;
    if (table) answer(table, req, res);
    else res.writeHead(503).end();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  table = buildTable(await readTemplates(templateCount, url), rows, pageSize);
  return {
    url,
    rows,
    requests: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The static server in a child process; resolves once it listens. Args as for the command line. */
export function startStaticServerProcess(options: StaticServerOptions = {}): Promise<SimulatorProcess> {
  const args = [fileURLToPath(import.meta.url), '--rows', String(options.rows ?? 100_000), '--page-size', String(options.pageSize ?? 2000)];
  if (options.templates !== undefined) args.push('--templates', String(options.templates));
  return startListeningChild(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] }), 'the static server');
}

interface Table {
  /** Ascending; record i's sys_id. */
  ids: string[];
  /** Record i's JSON text. */
  record(i: number): string;
  /** Rendered bodies by `start:end`. */
  pages: Map<string, Buffer>;
  pageKeys: Set<string>;
  singles: Map<number, Buffer>;
}

/** Full incident records as a client gets them by default, from a simulator that is closed again at once. */
async function readTemplates(count: number, ownUrl: string): Promise<Array<Record<string, unknown>>> {
  const sim = await startSimulator({ generate: { incident: count } });
  try {
    const query = new URLSearchParams({ sysparm_query: 'ORDERBYsys_id', sysparm_limit: String(count) });
    const res = await fetch(`${sim.url}/api/now/table/incident?${query}`, { headers: { authorization: ADMIN_AUTH, accept: 'application/json' } });
    // The reference links name the simulator's address: point them at this server instead.
    const text = (await res.text()).split(sim.url).join(ownUrl);
    return (JSON.parse(text) as { result: Array<Record<string, unknown>> }).result;
  } finally {
    await sim.close();
  }
}

function buildTable(templates: Array<Record<string, unknown>>, rows: number, pageSize: number): Table {
  // Each template split around its sys_id value, so record i is three strings joined.
  const parts = templates.map((t) => {
    const text = JSON.stringify({ ...t, sys_id: '#' });
    const at = text.indexOf('"#"');
    return [text.slice(0, at + 1), text.slice(at + 2)] as const;
  });
  const ids: string[] = new Array<string>(rows);
  const space = 1n << 128n;
  for (let i = 0; i < rows; i++) ids[i] = ((BigInt(i) * space + space / 2n) / BigInt(rows)).toString(16).padStart(32, '0');
  const record = (i: number) => {
    const [before, after] = parts[i % parts.length]!;
    return before + ids[i]! + after;
  };
  const table: Table = { ids, record, pages: new Map(), pageKeys: new Set(), singles: new Map() };
  for (let start = 0; start <= rows; start += pageSize) {
    const key = `${start}:${Math.min(start + pageSize, rows)}`;
    table.pageKeys.add(key);
    table.pages.set(key, render(table, start, Math.min(start + pageSize, rows)));
  }
  return table;
}

function render(table: Table, start: number, end: number): Buffer {
  const records: string[] = [];
  for (let i = start; i < end; i++) records.push(table.record(i));
  return Buffer.from(`{"result":[${records.join(',')}]}`);
}

function answer(table: Table, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://static');
  const m = /^\/api\/now\/table\/[^/]+(?:\/([^/]+))?$/.exec(url.pathname);
  if (req.method !== 'GET' || !m) return send(res, 404, Buffer.from('{"error":{"message":"Not found","detail":"the static server answers GET of table rows only"},"status":"failure"}'));
  if (m[1] !== undefined) {
    const i = lowerBound(table.ids, m[1]);
    if (table.ids[i] !== m[1]) return send(res, 404, Buffer.from('{"error":{"message":"No Record found","detail":"Record doesn\'t exist or ACL restricts the record retrieval"},"status":"failure"}'));
    let body = table.singles.get(i);
    if (!body) {
      body = Buffer.from(`{"result":${table.record(i)}}`);
      if (table.singles.size >= EXTRA_CACHE) table.singles.clear();
      table.singles.set(i, body);
    }
    return send(res, 200, body);
  }
  let from = 0;
  let to = table.ids.length;
  for (const term of (url.searchParams.get('sysparm_query') ?? '').split('^')) {
    const k = /^sys_id(>=|<=|>|<)(.*)$/.exec(term);
    if (!k) continue;
    const [, op, value] = k as unknown as [string, string, string];
    if (op === '>') from = Math.max(from, upperBound(table.ids, value));
    else if (op === '>=') from = Math.max(from, lowerBound(table.ids, value));
    else if (op === '<') to = Math.min(to, lowerBound(table.ids, value));
    else to = Math.min(to, upperBound(table.ids, value));
  }
  const limit = Number(url.searchParams.get('sysparm_limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT;
  const start = Math.min(from + (Number(url.searchParams.get('sysparm_offset') ?? 0) || 0), Math.max(from, to));
  const end = Math.max(start, Math.min(start + limit, to));
  const key = `${start}:${end}`;
  let body = table.pages.get(key);
  if (!body) {
    body = render(table, start, end);
    if (table.pages.size >= table.pageKeys.size + EXTRA_CACHE) {
      for (const k of table.pages.keys()) if (!table.pageKeys.has(k)) table.pages.delete(k);
    }
    table.pages.set(key, body);
  }
  const headers: Record<string, string> = {};
  if (url.searchParams.get('sysparm_no_count') !== 'true') headers['x-total-count'] = String(to - from);
  send(res, 200, body, headers);
}

function send(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': body.length, ...headers });
  res.end(body);
}

/** First index whose id is >= value. */
function lowerBound(ids: string[], value: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose id is > value. */
function upperBound(ids: string[], value: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? Number(process.argv[at + 1]) : undefined;
  };
  const server = await startStaticServer({ rows: arg('--rows'), pageSize: arg('--page-size'), templates: arg('--templates') });
  console.log(`static server: ${server.rows} incidents; listening on ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
