// The serve benchmark: an <api> resource that calls getRecordById and responds, under `snconnect serve`, against a
// hand-written node:http + undici handler doing the same call (bench/cases/serve-target.ts), each server in a
// process of its own, driven from here at concurrency 32 in alternating rounds. Reports throughput of both, p99
// latency, and the serve process's RSS after the first and the last 10,000 of its requests.
// Prints {requests, concurrency, servePerSecond, rawPerSecond, serveP99Ms, rawP99Ms, rssFirstMb, rssLastMb, and the
// RSS and heap after a forced collection at the same two points: rssAfterGc*Mb, heapAfterGc*Mb}.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { ADMIN_AUTH, ROOT } from '../support/child.js';

const [simUrl, totalArg = '100000'] = process.argv.slice(2);
const TOTAL = Number(totalArg);
const CONCURRENCY = 32;
const BLOCK = Math.min(10_000, TOTAL / 10);

function startTarget(mode: 'serve' | 'raw'): Promise<{ url: string; child: ChildProcess }> {
  const file = fileURLToPath(new URL('./serve-target.js', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', file, mode, simUrl!], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/[0-9.]+:\d+/.exec(out);
      if (m) resolve({ url: m[0], child });
    });
    child.once('exit', (code) => reject(new Error(`serve target ${mode} exited (${code}) before listening`)));
  });
}

const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });

async function get(url: string): Promise<string> {
  const res = await request(url, { dispatcher: agent });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
  return text;
}

/** n requests with 32 in flight; returns elapsed ms and pushes each latency. */
async function drive(base: string, ids: string[], n: number, latencies: number[]): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const id = ids[next++ % ids.length]!;
        const t0 = performance.now();
        await get(`${base}/bench/incidents/${id}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return performance.now() - t;
}

type MemoryReport = { rss: number; rssAfterGc: number; heapAfterGc: number };

const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)] ?? 0;

const list = await request(`${simUrl}/api/now/table/incident?sysparm_limit=500&sysparm_fields=sys_id`, { headers: { authorization: ADMIN_AUTH, accept: 'application/json' } });
const ids = ((await list.body.json()) as { result: { sys_id: string }[] }).result.map((r) => r.sys_id);
const serve = await startTarget('serve');
const raw = await startTarget('raw');
try {
  // Warm-up: connections opened, code optimised; the serve warm-up counts toward its total.
  await drive(raw.url, ids, 2000, []);
  await drive(serve.url, ids, BLOCK, []);
  const memFirst = JSON.parse(await get(`${serve.url}/__bench/rss`)) as MemoryReport;
  let served = BLOCK;
  const serveLat: number[] = [];
  const rawLat: number[] = [];
  let serveMs = 0;
  let rawMs = 0;
  let rawCount = 0;
  let measured = 0;
  // Alternating rounds of one block each; the raw handler runs every other round (it is the baseline, not the soak).
  for (let round = 0; served < TOTAL - BLOCK; round++) {
    serveMs += await drive(serve.url, ids, BLOCK, serveLat);
    served += BLOCK;
    measured += BLOCK;
    if (round % 2 === 0) {
      rawMs += await drive(raw.url, ids, BLOCK, rawLat);
      rawCount += BLOCK;
    }
  }
  const lastLat: number[] = [];
  serveMs += await drive(serve.url, ids, BLOCK, lastLat);
  serveLat.push(...lastLat);
  served += BLOCK;
  measured += BLOCK;
  const memLast = JSON.parse(await get(`${serve.url}/__bench/rss`)) as MemoryReport;
  console.log(
    JSON.stringify({
      requests: served,
      concurrency: CONCURRENCY,
      servePerSecond: (measured / serveMs) * 1000,
      rawPerSecond: (rawCount / rawMs) * 1000,
      serveP99Ms: p99(serveLat),
      rawP99Ms: p99(rawLat),
      rssFirstMb: memFirst.rss / 2 ** 20,
      rssLastMb: memLast.rss / 2 ** 20,
      rssAfterGcFirstMb: memFirst.rssAfterGc / 2 ** 20,
      rssAfterGcLastMb: memLast.rssAfterGc / 2 ** 20,
      heapAfterGcFirstMb: memFirst.heapAfterGc / 2 ** 20,
      heapAfterGcLastMb: memLast.heapAfterGc / 2 ** 20,
    }),
  );
} finally {
  serve.child.kill('SIGTERM');
  raw.child.kill('SIGTERM');
  await agent.close();
}
