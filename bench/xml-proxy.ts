// `npm run bench:xml`: a proxy that converts a JSON request to XML, calls a local XML back end and converts the answer
// back to JSON, under `snconnect serve` against a hand-written node:http + undici handler doing the same conversions
// with the same libraries (bench/cases/xml-proxy-target.ts). Each server and the back end run in a process of their
// own; both proxies are driven from here at concurrency 32 in alternating rounds, so machine load hits both alike.
// Prints the throughputs and their ratio and writes them to bench/results.json (key xmlProxy).
//   BENCH_XML_REQUESTS=4000 npm run bench:xml   a quick look (default 20,000 per side)
//   BENCH_XML_JSON=1 npm run bench:xml          the same without conversions (JSON end to end), key jsonProxy
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { ROOT, startListeningChild, type SimulatorProcess } from './support/child.js';

const TOTAL = Number(process.env['BENCH_XML_REQUESTS'] ?? 20_000);
const CONCURRENCY = 32;
const ROUNDS = 5;
const JSON_ONLY = process.env['BENCH_XML_JSON'] === '1';

function start(mode: string, ...args: string[]): Promise<SimulatorProcess> {
  const file = fileURLToPath(new URL('./cases/xml-proxy-target.js', import.meta.url));
  return startListeningChild(spawn(process.execPath, [file, mode, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }), mode);
}

const agent = new Agent({ connections: CONCURRENCY });
const order = (i: number) => JSON.stringify({ order: { id: `ORD-${i}`, customer: { name: 'Ann', tier: 'gold' }, lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }], rush: false } });

async function drive(base: string, n: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const res = await request(`${base}/bench/orders`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: order(i) });
        const text = await res.body.text();
        if (res.statusCode !== 200 || !text.includes(`ORD-${i}`)) throw new Error(`${base}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
      }
    }),
  );
  return performance.now() - t;
}

const variant = JSON_ONLY ? ['json'] : [];
const backend = await start('backend', ...variant);
const serve = await start('serve', backend.url, ...variant);
const raw = await start('raw', backend.url, ...variant);
try {
  const block = Math.floor(TOTAL / ROUNDS);
  await drive(serve.url, 1000);
  await drive(raw.url, 1000);
  let serveMs = 0;
  let rawMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    serveMs += await drive(serve.url, block);
    rawMs += await drive(raw.url, block);
  }
  const result = {
    requestsPerSide: block * ROUNDS,
    concurrency: CONCURRENCY,
    servePerSecond: Math.round((block * ROUNDS * 1000) / serveMs),
    rawPerSecond: Math.round((block * ROUNDS * 1000) / rawMs),
    ratio: Number((rawMs / serveMs).toFixed(3)),
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    measuredAt: new Date().toISOString(),
  };
  console.log(`${JSON_ONLY ? 'JSON proxy (no conversion)' : 'XML proxy (JSON -> XML -> back end -> XML -> JSON)'}, ${result.requestsPerSide} requests per side at concurrency ${CONCURRENCY}`);
  console.log(`  snconnect serve      ${result.servePerSecond} req/s`);
  console.log(`  node:http + undici   ${result.rawPerSecond} req/s`);
  console.log(`  ratio                ${result.ratio}x (target >= 0.8x); load average ${result.loadAverage.join(' ')}`);
  const file = `${ROOT}/bench/results.json`;
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[JSON_ONLY ? 'jsonProxy' : 'xmlProxy'] = result;
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
} finally {
  await Promise.all([serve, raw, backend].map((p) => p.stop()));
  await agent.close();
}
