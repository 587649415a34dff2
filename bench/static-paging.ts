// The paging client's own cost: the connector's all-pages stream() against a hand-written undici + JSON.parse keyset
// loop, both reading from the static server (bench/support/static-server.ts: pre-rendered pages, so the server costs
// nearly nothing and the client is what is measured). Alternating rounds in one run, each client in a child process
// of its own (its peak RSS is its own). A third client, the drain loop, only scans each page's bytes for its sys_ids:
// what reading these pages with Node and undici costs with no parsing at all (the connector, whose parsing makes the
// GCs free socket buffers sooner, stays below it). Every round runs the three clients twice: on Node's defaults, and
// on the low-memory runtime (LOW_MEMORY_FLAGS, see docs/paging.md: V8 flags an operator sets, not the library).
// Part of `npm run bench`; `npm run bench:static` runs it alone and updates the `staticPaging` key of
// bench/results.json.
//   BENCH_STATIC_ROWS (default 100000), BENCH_STATIC_PAGE (default 2000), BENCH_STATIC_ROUNDS (default 3)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, ROOT, runCase } from './support/child.js';
import { LOW_MEMORY_FLAGS } from './support/low-memory.js';
import { startStaticServerProcess } from './support/static-server.js';

interface PagingFigures {
  records: number;
  ms: number;
  recordsPerSecond: number;
  peakRssMb: number;
}

interface ClientFigures {
  raw: PagingFigures;
  connector: PagingFigures;
  drain: PagingFigures;
}

/** One runtime's figures over the rounds. */
export interface RuntimeSummary {
  /** The node flags the clients ran with (none: Node's defaults). */
  nodeFlags: string[];
  rawRecordsPerSecond: number;
  connectorRecordsPerSecond: number;
  /** Median over rounds of connector / raw records/s, each round's pair measured back to back. */
  ratio: number;
  rawPeakRssMb: number;
  connectorPeakRssMb: number;
  /** Median over rounds of the drain loop's peak RSS: the floor of any Node + undici client of these pages. */
  drainPeakRssMb: number;
}

export interface StaticPagingResults {
  rows: number;
  pageSize: number;
  /** Bytes of one page body as sent. */
  pageBytes: number;
  rounds: Array<ClientFigures & { lowMemory: ClientFigures }>;
  /** Node's defaults (the speed target is measured here). */
  defaults: RuntimeSummary;
  /** The low-memory runtime (the peak RSS target is measured here). */
  lowMemory: RuntimeSummary;
  targets: { ratio: string; peakRss: string; ratioMet: boolean; peakRssMet: boolean; met: boolean };
  loadAverage: { start: number; end: number };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function runStaticPaging(): Promise<StaticPagingResults> {
  const rows = Number(process.env['BENCH_STATIC_ROWS'] ?? 100_000);
  const pageSize = Number(process.env['BENCH_STATIC_PAGE'] ?? 2000);
  const roundCount = Number(process.env['BENCH_STATIC_ROUNDS'] ?? 3);
  const start = loadavg()[0]!;
  console.log(`static paging: ${fmt(rows)} pre-rendered incidents, ${fmt(pageSize)} per page, ${roundCount} alternating rounds, on Node's defaults and on the low-memory runtime (${LOW_MEMORY_FLAGS.join(' ')})...`);
  const server = await startStaticServerProcess({ rows, pageSize });
  const rounds: StaticPagingResults['rounds'] = [];
  let pageBytes = 0;
  try {
    const res = await fetch(`${server.url}/api/now/table/incident?sysparm_query=ORDERBYsys_id&sysparm_limit=${pageSize}&sysparm_no_count=true`);
    pageBytes = (await res.arrayBuffer()).byteLength;
    const runClients = async (i: number, nodeFlags: string[]): Promise<ClientFigures> => {
      // Alternate which client goes first, so that neither always follows the other.
      const order = i % 2 === 0 ? (['raw', 'connector', 'drain'] as const) : (['connector', 'raw', 'drain'] as const);
      const cases = { raw: 'paging-raw', connector: 'paging-library', drain: 'paging-drain' } as const;
      const figures: Partial<ClientFigures> = {};
      for (const who of order) {
        figures[who] = await runCase<PagingFigures>(cases[who], who === 'connector' ? [server.url, String(pageSize), 'false'] : [server.url, String(pageSize)], nodeFlags);
        if (figures[who]!.records !== rows) throw new Error(`static paging: ${who} read ${figures[who]!.records} records, expected ${rows}`);
      }
      return figures as ClientFigures;
    };
    for (let i = 0; i < roundCount; i++) {
      const defaults = await runClients(i, []);
      const lowMemory = await runClients(i, LOW_MEMORY_FLAGS);
      rounds.push({ ...defaults, lowMemory });
      for (const [name, r] of [['defaults', defaults], ['low-memory', lowMemory]] as const) {
        console.log(`  round ${i + 1}, ${name}: raw ${fmt(r.raw.recordsPerSecond)} records/s, connector ${fmt(r.connector.recordsPerSecond)} records/s (${fmt(r.connector.recordsPerSecond / r.raw.recordsPerSecond, 2)}x); peak RSS raw ${fmt(r.raw.peakRssMb)} MB, connector ${fmt(r.connector.peakRssMb)} MB, drain ${fmt(r.drain.peakRssMb)} MB`);
      }
    }
  } finally {
    await server.stop();
  }
  const defaults = summarise(rounds, []);
  const lowMemory = summarise(
    rounds.map((r) => r.lowMemory),
    LOW_MEMORY_FLAGS,
  );
  const ratioMet = defaults.ratio >= 1;
  const peakRssMet = lowMemory.connectorPeakRssMb < 80;
  return {
    rows,
    pageSize,
    pageBytes,
    rounds,
    defaults,
    lowMemory,
    targets: { ratio: '>= 1.0x (Node defaults)', peakRss: '< 80 MB (low-memory runtime)', ratioMet, peakRssMet, met: ratioMet && peakRssMet },
    loadAverage: { start, end: loadavg()[0]! },
  };
}

function summarise(rounds: ClientFigures[], nodeFlags: string[]): RuntimeSummary {
  return {
    nodeFlags,
    rawRecordsPerSecond: median(rounds.map((r) => r.raw.recordsPerSecond)),
    connectorRecordsPerSecond: median(rounds.map((r) => r.connector.recordsPerSecond)),
    ratio: median(rounds.map((r) => r.connector.recordsPerSecond / r.raw.recordsPerSecond)),
    rawPeakRssMb: Math.max(...rounds.map((r) => r.raw.peakRssMb)),
    connectorPeakRssMb: Math.max(...rounds.map((r) => r.connector.peakRssMb)),
    drainPeakRssMb: median(rounds.map((r) => r.drain.peakRssMb)),
  };
}

export function printStaticPaging(r: StaticPagingResults): void {
  console.log(`\nstatic paging (${fmt(r.rows)} records, ${fmt(r.pageSize)} per page, ${fmt(r.pageBytes / 2 ** 20, 1)} MB a page, load ${fmt(r.loadAverage.start, 2)} -> ${fmt(r.loadAverage.end, 2)}):`);
  for (const [name, s] of [['Node defaults', r.defaults], [`low-memory runtime (${r.lowMemory.nodeFlags.join(' ')})`, r.lowMemory]] as const) {
    console.log(`  ${name}: connector stream ${fmt(s.connectorRecordsPerSecond)} records/s vs raw loop ${fmt(s.rawRecordsPerSecond)}: ${fmt(s.ratio, 2)}x;`);
    console.log(`    peak RSS connector ${fmt(s.connectorPeakRssMb)} MB, raw loop ${fmt(s.rawPeakRssMb)} MB, drain loop (bytes only) ${fmt(s.drainPeakRssMb)} MB`);
  }
  console.log(`  targets: ${r.targets.ratio} ${r.targets.ratioMet ? 'met' : 'MISSED'}, peak RSS ${r.targets.peakRss} ${r.targets.peakRssMet ? 'met' : 'MISSED'}`);
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
