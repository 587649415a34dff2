// The invoke client's own cost: invoke() of a single-record read against raw undici request() + JSON.parse, 32 calls
// in flight, both against the static server (pre-rendered bodies: the server costs nearly nothing), alternating
// rounds in one child process (bench/cases/static-invoke.ts). Part of `npm run bench`; `npm run bench:invoke` runs
// it alone and updates the `staticInvoke` key of bench/results.json.
//   BENCH_INVOKE_CALLS (default 60000 per client), BENCH_INVOKE_ROUNDS (default 6)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ROOT, runCase } from './support/child.js';
import { startStaticServerProcess } from './support/static-server.js';

export interface StaticInvokeResults {
  calls: number;
  concurrency: number;
  rounds: Array<{ invokePerSecond: number; rawPerSecond: number }>;
  invokePerSecond: number;
  rawPerSecond: number;
  /** Median over rounds of invoke / raw calls per second, each round's pair measured back to back. */
  ratio: number;
  target: string;
  met: boolean;
  loadAverage: { start: number; end: number };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function runStaticInvoke(): Promise<StaticInvokeResults> {
  const calls = Number(process.env['BENCH_INVOKE_CALLS'] ?? 60_000);
  const rounds = Number(process.env['BENCH_INVOKE_ROUNDS'] ?? 6);
  const start = loadavg()[0]!;
  console.log(`static invoke: getRecordById, invoke() vs raw undici, concurrency 32, ${fmt(calls)} calls each in ${rounds} alternating rounds...`);
  // A small table: only single-record GETs are asked for.
  const server = await startStaticServerProcess({ rows: 2000, pageSize: 2000, templates: 200 });
  try {
    const r = await runCase<Omit<StaticInvokeResults, 'target' | 'met' | 'loadAverage'>>('static-invoke', [server.url, String(calls), String(rounds)]);
    return { ...r, target: '>= 0.95x', met: r.ratio >= 0.95, loadAverage: { start, end: loadavg()[0]! } };
  } finally {
    await server.stop();
  }
}

export function printStaticInvoke(r: StaticInvokeResults): void {
  console.log(`\nstatic invoke (getRecordById, concurrency 32, load ${fmt(r.loadAverage.start, 2)} -> ${fmt(r.loadAverage.end, 2)}):`);
  console.log(`  invoke ${fmt(r.invokePerSecond)} calls/s vs raw undici ${fmt(r.rawPerSecond)}: ${fmt(r.ratio, 2)}x (target ${r.target}); ${r.met ? 'met' : 'MISSED'}`);
}

/** Sets the `staticInvoke` key of bench/results.json, keeping the rest. */
export function saveStaticInvoke(results: StaticInvokeResults): void {
  const file = `${ROOT}bench/results.json`;
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...previous, staticInvoke: { date: new Date().toISOString(), ...results } }, null, 2) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runStaticInvoke()
    .then((results) => {
      printStaticInvoke(results);
      saveStaticInvoke(results);
      console.log('\nwrote the staticInvoke key of bench/results.json');
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
