// The paging client's own cost: the connector's all-pages stream() against a hand-written undici + JSON.parse keyset
// loop, both reading from the static server (bench/support/static-server.ts: pre-rendered pages, so the server costs
// nearly nothing and the client is what is measured). Alternating rounds in one run, each client in a child process
// of its own (its peak RSS is its own). A third client, the drain loop, only scans each page's bytes for its sys_ids:
// what reading these pages with Node and undici costs with no parsing at all (the connector, whose parsing makes the
// GCs free socket buffers sooner, stays below it). Part of `npm run bench`; `npm run bench:static` runs it alone and
// updates the `staticPaging` key of bench/results.json.
//   BENCH_STATIC_ROWS (default 100000), BENCH_STATIC_PAGE (default 2000), BENCH_STATIC_ROUNDS (default 3)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, ROOT, runCase } from './support/child.js';
import { startStaticServerProcess } from './support/static-server.js';

interface PagingFigures {
  records: number;
  ms: number;
  recordsPerSecond: number;
  peakRssMb: number;
}

export interface StaticPagingResults {
  rows: number;
  pageSize: number;
  /** Bytes of one page body as sent. */
  pageBytes: number;
  rounds: Array<{ raw: PagingFigures; connector: PagingFigures; drain: PagingFigures }>;
  rawRecordsPerSecond: number;
  connectorRecordsPerSecond: number;
  /** Median over rounds of connector / raw records/s, each round's pair measured back to back. */
  ratio: number;
  rawPeakRssMb: number;
  connectorPeakRssMb: number;
  /** Median over rounds of the drain loop's peak RSS: the floor of any Node + undici client of these pages. */
  drainPeakRssMb: number;
  targets: { ratio: string; peakRss: string; met: boolean };
  loadAverage: { start: number; end: number };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function runStaticPaging(): Promise<StaticPagingResults> {
  const rows = Number(process.env['BENCH_STATIC_ROWS'] ?? 100_000);
  const pageSize = Number(process.env['BENCH_STATIC_PAGE'] ?? 2000);
  const roundCount = Number(process.env['BENCH_STATIC_ROUNDS'] ?? 3);
  const start = loadavg()[0]!;
  console.log(`static paging: ${fmt(rows)} pre-rendered incidents, ${fmt(pageSize)} per page, ${roundCount} alternating rounds...`);
  const server = await startStaticServerProcess({ rows, pageSize });
  const rounds: StaticPagingResults['rounds'] = [];
  let pageBytes = 0;
  try {
    const res = await fetch(`${server.url}/api/now/table/incident?sysparm_query=ORDERBYsys_id&sysparm_limit=${pageSize}&sysparm_no_count=true`);
    pageBytes = (await res.arrayBuffer()).byteLength;
    for (let i = 0; i < roundCount; i++) {
      // Alternate which client goes first, so that neither always follows the other.
      const order = i % 2 === 0 ? (['raw', 'connector', 'drain'] as const) : (['connector', 'raw', 'drain'] as const);
      const round: Partial<StaticPagingResults['rounds'][number]> = {};
      const cases = { raw: 'paging-raw', connector: 'paging-library', drain: 'paging-drain' } as const;
      for (const who of order) {
        round[who] = await runCase<PagingFigures>(cases[who], who === 'connector' ? [server.url, String(pageSize), 'false'] : [server.url, String(pageSize)]);
        if (round[who]!.records !== rows) throw new Error(`static paging: ${who} read ${round[who]!.records} records, expected ${rows}`);
      }
      rounds.push(round as StaticPagingResults['rounds'][number]);
      console.log(`  round ${i + 1}: raw ${fmt(round.raw!.recordsPerSecond)} records/s, connector ${fmt(round.connector!.recordsPerSecond)} records/s (${fmt(round.connector!.recordsPerSecond / round.raw!.recordsPerSecond, 2)}x); peak RSS raw ${fmt(round.raw!.peakRssMb)} MB, connector ${fmt(round.connector!.peakRssMb)} MB, drain ${fmt(round.drain!.peakRssMb)} MB`);
    }
  } finally {
    await server.stop();
  }
  const ratio = median(rounds.map((r) => r.connector.recordsPerSecond / r.raw.recordsPerSecond));
  const connectorPeakRssMb = Math.max(...rounds.map((r) => r.connector.peakRssMb));
  return {
    rows,
    pageSize,
    pageBytes,
    rounds,
    rawRecordsPerSecond: median(rounds.map((r) => r.raw.recordsPerSecond)),
    connectorRecordsPerSecond: median(rounds.map((r) => r.connector.recordsPerSecond)),
    ratio,
    rawPeakRssMb: Math.max(...rounds.map((r) => r.raw.peakRssMb)),
    connectorPeakRssMb,
    drainPeakRssMb: median(rounds.map((r) => r.drain.peakRssMb)),
    targets: { ratio: '>= 1.0x', peakRss: '< 80 MB', met: ratio >= 1 && connectorPeakRssMb < 80 },
    loadAverage: { start, end: loadavg()[0]! },
  };
}

export function printStaticPaging(r: StaticPagingResults): void {
  console.log(`\nstatic paging (${fmt(r.rows)} records, ${fmt(r.pageSize)} per page, ${fmt(r.pageBytes / 2 ** 20, 1)} MB a page, load ${fmt(r.loadAverage.start, 2)} -> ${fmt(r.loadAverage.end, 2)}):`);
  console.log(`  connector stream ${fmt(r.connectorRecordsPerSecond)} records/s vs raw loop ${fmt(r.rawRecordsPerSecond)}: ${fmt(r.ratio, 2)}x (target ${r.targets.ratio})`);
  console.log(`  peak RSS: connector ${fmt(r.connectorPeakRssMb)} MB (target ${r.targets.peakRss}), raw loop ${fmt(r.rawPeakRssMb)} MB, drain loop (bytes only, the floor) ${fmt(r.drainPeakRssMb)} MB; ${r.targets.met ? 'met' : 'MISSED'}`);
}

/** Sets the `staticPaging` key of bench/results.json, keeping the rest. */
export function saveStaticPaging(results: StaticPagingResults): void {
  const file = `${ROOT}bench/results.json`;
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...previous, staticPaging: { date: new Date().toISOString(), ...results } }, null, 2) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runStaticPaging()
    .then((results) => {
      printStaticPaging(results);
      saveStaticPaging(results);
      console.log('\nwrote the staticPaging key of bench/results.json');
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
