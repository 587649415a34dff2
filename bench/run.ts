// `npm run bench`: the connector against raw undici (and node's fetch) on the same machine in the same run.
// The simulator runs in a child process of its own (1,000,000 incidents), and every client case runs in its own
// child too, so each peak RSS is that client's alone. Prints a table of ratios and writes bench/results.json.
//   BENCH_ROWS=200000 npm run bench    a smaller table for a quick look (the targets are stated for 1,000,000)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { printLatencyTable, runLatencyScenarios, saveLatency } from './latency.js';
import { median, ROOT, runCase, startSimulatorProcess } from './support/child.js';
import { printStaticInvoke, runStaticInvoke, saveStaticInvoke } from './static-invoke.js';
import { printStaticPaging, runStaticPaging, saveStaticPaging } from './static-paging.js';
import { runXmlProxy } from './xml-proxy.js';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const PAGE = 10_000;
const COLD_RUNS = 7;

interface PagingResult {
  records: number;
  ms: number;
  recordsPerSecond: number;
  peakRssMb: number;
}

interface OverheadResult {
  sequential: { calls: number; invokeMedianMs: number; rawMedianMs: number };
  /** ratio: the median of the rounds' invoke / raw ratios (each round's pair measured back to back). */
  concurrent: { calls: number; concurrency: number; invokePerSecond: number; rawPerSecond: number; ratio: number; rounds: Array<{ invokePerSecond: number; rawPerSecond: number }> };
}

interface ServeResult {
  requests: number;
  concurrency: number;
  servePerSecond: number;
  rawPerSecond: number;
  serveP99Ms: number;
  rawP99Ms: number;
  rssFirstMb: number;
  rssLastMb: number;
  rssAfterGcFirstMb: number;
  rssAfterGcLastMb: number;
  heapAfterGcFirstMb: number;
  heapAfterGcLastMb: number;
}

/** Requests through `snconnect serve` in the serve benchmark (BENCH_SERVE_REQUESTS for a quick look). */
const SERVE_REQUESTS = Number(process.env['BENCH_SERVE_REQUESTS'] ?? 100_000);
/** Requests per side in the XML proxy benchmark here (a short run; `npm run bench:xml` does 20,000). */
const XML_REQUESTS = Number(process.env['BENCH_XML_REQUESTS'] ?? 10_000);

interface Row {
  measure: string;
  connector: string;
  baseline: string;
  ratio: string;
  target: string;
  met?: boolean;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const started = performance.now();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg()[0],
  };
  console.log(`snconnect bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; load average ${machine.loadAverageAtStart.toFixed(2)} at start`);
  console.log(`starting the simulator with ${fmt(ROWS)} incidents (child process)...`);
  const sim = await startSimulatorProcess(['--generate', `incident=${ROWS}`]);
  try {
    console.log('per-call overhead: invoke vs raw undici (sequential and at concurrency 32)...');
    const overhead = await runCase<OverheadResult>('overhead', [sim.url]);
    console.log(`serve: an <api> resource calling getRecordById vs node:http + undici, concurrency 32, ${fmt(SERVE_REQUESTS)} requests...`);
    const serve = await runCase<ServeResult>('serve', [sim.url, String(SERVE_REQUESTS)]);

    console.log(`XML proxy: JSON -> XML -> a local XML back end -> JSON, serve vs node:http + undici, concurrency 32, ${fmt(XML_REQUESTS)} requests each...`);
    const xmlProxy = await runXmlProxy({ total: XML_REQUESTS });

    const paging: Record<string, PagingResult> = {};
    for (const [name, args] of [
      ['raw undici + JSON.parse', ['paging-raw', sim.url, String(PAGE)]],
      ['connector stream', ['paging-library', sim.url, String(PAGE), 'false']],
      ['node fetch + res.json()', ['paging-fetch', sim.url, String(PAGE)]],
      ['axios', ['paging-axios', sim.url, String(PAGE)]],
      ['connector stream, prefetch', ['paging-library', sim.url, String(PAGE), 'true']],
    ] as const) {
      console.log(`paging ${fmt(ROWS)} records, ${fmt(PAGE)} per page: ${name}...`);
      const [file, ...rest] = args;
      paging[name] = await runCase<PagingResult>(file, [...rest]);
    }

    console.log('cold start (process start to first request sent)...');
    const cold = await coldStart();

    const raw = paging['raw undici + JSON.parse']!;
    const lib = paging['connector stream']!;
    const pre = paging['connector stream, prefetch']!;
    const fetchRun = paging['node fetch + res.json()']!;
    const axiosRun = paging['axios']!;
    const rows: Row[] = [
      {
        measure: 'invoke latency, sequential (median)',
        connector: `${fmt(overhead.sequential.invokeMedianMs, 3)} ms`,
        baseline: `${fmt(overhead.sequential.rawMedianMs, 3)} ms raw undici`,
        ratio: `${fmt(overhead.sequential.rawMedianMs / overhead.sequential.invokeMedianMs, 2)}x speed`,
        target: '',
      },
      {
        measure: 'invoke throughput, concurrency 32',
        connector: `${fmt(overhead.concurrent.invokePerSecond)} calls/s`,
        baseline: `${fmt(overhead.concurrent.rawPerSecond)} calls/s raw undici`,
        ratio: `${fmt(overhead.concurrent.ratio, 2)}x`,
        target: '>= 0.9x',
        met: overhead.concurrent.ratio >= 0.9,
      },
      {
        measure: 'serve: <api> getRecordById, concurrency 32',
        connector: `${fmt(serve.servePerSecond)} req/s, p99 ${fmt(serve.serveP99Ms, 1)} ms`,
        baseline: `${fmt(serve.rawPerSecond)} req/s, p99 ${fmt(serve.rawP99Ms, 1)} ms node:http + undici`,
        ratio: `${fmt(serve.servePerSecond / serve.rawPerSecond, 2)}x`,
        target: '>= 0.8x',
        met: serve.servePerSecond / serve.rawPerSecond >= 0.8,
      },
      {
        measure: `serve RSS after ${fmt(serve.requests)} requests`,
        connector: `${fmt(serve.rssLastMb)} MB after the last 10,000`,
        baseline: `${fmt(serve.rssFirstMb)} MB after the first 10,000`,
        ratio: `${fmt(serve.rssLastMb / serve.rssFirstMb, 2)}x`,
        target: 'no growth',
        met: serve.rssLastMb <= serve.rssFirstMb * 1.1,
      },
      {
        // RSS follows the heap's sizing; what a full collection cannot free is what a leak would show as.
        measure: `serve heap after a full GC, ${fmt(serve.requests)} requests`,
        connector: `${fmt(serve.heapAfterGcLastMb, 1)} MB (RSS ${fmt(serve.rssAfterGcLastMb)} MB) after the last 10,000`,
        baseline: `${fmt(serve.heapAfterGcFirstMb, 1)} MB (RSS ${fmt(serve.rssAfterGcFirstMb)} MB) after the first 10,000`,
        ratio: `${fmt(serve.heapAfterGcLastMb / serve.heapAfterGcFirstMb, 2)}x`,
        target: 'no growth',
        met: serve.heapAfterGcLastMb <= serve.heapAfterGcFirstMb * 1.1,
      },
      {
        measure: 'XML proxy: JSON -> XML back end -> JSON, concurrency 32',
        connector: `${fmt(xmlProxy.servePerSecond)} req/s${xmlProxy.serveCpuPerRequestUs === undefined ? '' : `, ${fmt(xmlProxy.serveCpuPerRequestUs)} us CPU/req`}`,
        baseline: `${fmt(xmlProxy.rawPerSecond)} req/s${xmlProxy.rawCpuPerRequestUs === undefined ? '' : `, ${fmt(xmlProxy.rawCpuPerRequestUs)} us CPU/req`} node:http + undici`,
        ratio: `${fmt(xmlProxy.ratio, 2)}x`,
        target: xmlProxy.target,
        met: xmlProxy.met,
      },
      {
        measure: `paging ${fmt(ROWS)} records`,
        connector: `${fmt(lib.recordsPerSecond)} records/s`,
        baseline: `${fmt(raw.recordsPerSecond)} records/s raw loop`,
        ratio: `${fmt(lib.recordsPerSecond / raw.recordsPerSecond, 2)}x`,
        target: '>= 0.9x',
        met: lib.recordsPerSecond / raw.recordsPerSecond >= 0.9,
      },
      {
        measure: 'paging with prefetch',
        connector: `${fmt(pre.recordsPerSecond)} records/s`,
        baseline: `${fmt(raw.recordsPerSecond)} records/s raw loop`,
        ratio: `${fmt(pre.recordsPerSecond / raw.recordsPerSecond, 2)}x`,
        target: '',
      },
      {
        measure: 'paging, node fetch client',
        connector: `${fmt(lib.recordsPerSecond)} records/s`,
        baseline: `${fmt(fetchRun.recordsPerSecond)} records/s fetch`,
        ratio: `${fmt(lib.recordsPerSecond / fetchRun.recordsPerSecond, 2)}x`,
        target: '',
      },
      {
        measure: 'paging, axios client',
        connector: `${fmt(lib.recordsPerSecond)} records/s`,
        baseline: `${fmt(axiosRun.recordsPerSecond)} records/s axios`,
        ratio: `${fmt(lib.recordsPerSecond / axiosRun.recordsPerSecond, 2)}x`,
        target: '',
      },
      {
        measure: 'peak RSS while paging',
        connector: `${fmt(lib.peakRssMb)} MB`,
        baseline: `${fmt(raw.peakRssMb)} MB raw, ${fmt(fetchRun.peakRssMb)} MB fetch, ${fmt(axiosRun.peakRssMb)} MB axios`,
        ratio: `${fmt(lib.peakRssMb / raw.peakRssMb, 2)}x`,
        target: '< 150 MB',
        met: lib.peakRssMb < 150,
      },
      {
        measure: 'cold start to first request',
        connector: `${fmt(cold.connectorMs)} ms`,
        baseline: `${fmt(cold.rawUndiciMs)} ms raw undici, ${fmt(cold.nodeHttpMs)} ms node:http`,
        ratio: `${fmt(cold.connectorMs / cold.rawUndiciMs, 2)}x`,
        target: '< 150 ms',
        met: cold.connectorMs < 150,
      },
    ];
    printTable(rows);
    for (const [name, r] of Object.entries(paging)) {
      if (r.records !== ROWS && r.records < ROWS) throw new Error(`${name} read ${r.records} records, expected at least ${ROWS}`);
    }
    const results = {
      date: new Date().toISOString(),
      machine,
      loadAverageAtEnd: loadavg()[0],
      rows: ROWS,
      pageSize: PAGE,
      overhead,
      serve,
      xmlProxy,
      paging,
      coldStart: cold,
      table: rows,
      axios: 'not measured: axios is not a dependency of this package (see the README)',
      seconds: (performance.now() - started) / 1000,
    };
    // Keys written by other runs (bench:store, bench:latency, bench:static, bench:invoke, bench:xml's jsonProxy) are kept; this
    // run replaces only its own.
    const previous = existsSync(`${ROOT}bench/results.json`) ? (JSON.parse(readFileSync(`${ROOT}bench/results.json`, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(`${ROOT}bench/results.json`, JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
    console.log(`\nwrote bench/results.json (${fmt(results.seconds, 0)} s in all)`);
  } finally {
    await sim.stop();
  }
  // The paging and invoke clients' own cost, against a server that costs nothing (bench/static-paging.ts,
  // bench/static-invoke.ts); BENCH_STATIC=0 skips them.
  if (process.env['BENCH_STATIC'] !== '0') {
    const staticPaging = await runStaticPaging();
    printStaticPaging(staticPaging);
    saveStaticPaging(staticPaging);
    const staticInvoke = await runStaticInvoke();
    printStaticInvoke(staticInvoke);
    saveStaticInvoke(staticInvoke);
  }
  // Against a simulator with an instance's latency and semaphore (bench/latency.ts); BENCH_LATENCY=0 skips them.
  if (process.env['BENCH_LATENCY'] !== '0') {
    const latency = await runLatencyScenarios();
    printLatencyTable(latency.table, latency.parseCeiling);
    saveLatency(latency);
  }
}

/** Median over COLD_RUNS of: spawn the case process -> its first request arriving at a local server. */
async function coldStart(): Promise<{ connectorMs: number; rawUndiciMs: number; nodeHttpMs: number; runs: number }> {
  let arrived: ((t: number) => void) | undefined;
  const server = createServer((_req, res) => {
    arrived?.(performance.now());
    res.setHeader('content-type', 'application/json');
    res.end('{"result":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const file = fileURLToPath(new URL('./cases/cold-start.js', import.meta.url));
  const times: Record<string, number[]> = { connector: [], raw: [], node: [] };
  try {
    for (let i = 0; i < COLD_RUNS; i++) {
      for (const mode of ['node', 'raw', 'connector']) {
        const got = new Promise<number>((resolve) => (arrived = resolve));
        const t0 = performance.now();
        const child = spawn(process.execPath, [file, url, mode], { cwd: ROOT, stdio: 'ignore' });
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        const first = await Promise.race([got, exited.then(() => undefined)]);
        if (first === undefined) throw new Error(`cold start (${mode}) exited before sending a request`);
        times[mode]!.push(first - t0);
        await exited;
      }
    }
  } finally {
    server.close();
  }
  return { connectorMs: median(times['connector']!), rawUndiciMs: median(times['raw']!), nodeHttpMs: median(times['node']!), runs: COLD_RUNS };
}

function printTable(rows: Row[]): void {
  const head: Row = { measure: 'measure', connector: 'connector', baseline: 'baseline', ratio: 'ratio', target: 'target' };
  const cols: Array<keyof Omit<Row, 'met'>> = ['measure', 'connector', 'baseline', 'ratio', 'target'];
  const width = (c: keyof Omit<Row, 'met'>) => Math.max(...[head, ...rows].map((r) => r[c].length));
  const line = (r: Row) => '| ' + cols.map((c) => r[c].padEnd(width(c))).join(' | ') + ' | ' + (r.met === undefined ? '' : r.met ? 'met' : 'MISSED');
  console.log('\n' + line(head));
  console.log('|' + cols.map((c) => '-'.repeat(width(c) + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
