// Scenarios against a simulator that behaves like a distant instance: `--latency 100ms+0.05ms/row
// --max-concurrent 16` (100 ms per request plus 0.05 ms per record returned, 16 requests processed at once).
// Read: a hand-written sequential keyset loop (raw undici, the Singer-style baseline) vs the connector's
// partitioned keyset read with 4, 8 and 16 ranges (16 also ordered, since + ordered, and without reference links), auto, and offset
// with parallel ranges; then auto and 16 ranges under a rate limit too. Create: postRecord one at a time vs conn.bulk() at 16 and
// createRecords in each mode (concurrent, batch, importSet).
// Part of `npm run bench`; `npm run bench:latency` runs only these and updates the `latency` key of bench/results.json.
//   LATENCY_ROWS (default 200000), LATENCY_ONE (creates one at a time, default 100), LATENCY_BULK (default 1600),
//   LATENCY_REPEAT (runs of each read, default 3: the median run's time, the highest peak RSS of them all)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ROOT, runCase, startSimulatorProcess } from './support/child.js';

export const SIMULATOR_FLAGS = ['--latency', '100ms+0.05ms/row', '--max-concurrent', '16'];
const PAGE = 2000;

export interface LatencyFigures {
  records: number;
  ms: number;
  recordsPerSecond: number;
  peakRssMb: number;
  requests: number;
  distinct?: number;
  failed?: number;
  /** Each run's wall time, ms (reads run LATENCY_REPEAT times). */
  runsMs?: number[];
  /** The raw baseline only: ms it spent decoding and JSON.parse-ing the pages (not waiting for them). */
  parseMs?: number;
}

/**
 * What one thread needs to turn the read's bytes into objects on this machine (the raw baseline's decode +
 * JSON.parse time), and so the highest ratio over the baseline a client that parses every record can reach here:
 * a partitioned read waits less and less, but cannot parse faster than this.
 */
export interface ParseCeiling {
  parseMs: number;
  ratio: number;
}

export interface LatencyResults {
  simulator: string;
  rows: number;
  pageSize: number;
  read: Record<string, LatencyFigures>;
  /** Reads that gave up, with their error. */
  failedReads?: Record<string, string>;
  create: Record<string, LatencyFigures>;
  table: string[][];
  parseCeiling?: ParseCeiling;
  loadAverage: { start: number; end: number };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function runLatencyScenarios(): Promise<LatencyResults> {
  const rows = Number(process.env['LATENCY_ROWS'] ?? 200_000);
  const one = Number(process.env['LATENCY_ONE'] ?? 100);
  const bulk = Number(process.env['LATENCY_BULK'] ?? 1600);
  const start = loadavg()[0]!;
  console.log(`latency scenarios: simulator ${SIMULATOR_FLAGS.join(' ')} with ${fmt(rows)} incidents...`);
  const sim = await startSimulatorProcess(['--generate', `incident=${rows}`, ...SIMULATOR_FLAGS]);
  const read: Record<string, LatencyFigures> = {};
  const create: Record<string, LatencyFigures> = {};
  try {
    // The simulator serialises a record once and then serves its cached bytes (src/simulator/api/record-cache.ts):
    // one untimed read first, so the baseline does not pay the first serialisation that the later cases skip.
    console.log(`  warm-up read (not counted)...`);
    await runCase<LatencyFigures>('latency-read', [sim.url, 'partitions', '16', String(PAGE)]);
    for (const [name, args] of [
      ['sequential keyset, raw undici', ['raw', '1']],
      ['partitioned keyset, 4', ['partitions', '4']],
      ['partitioned keyset, 8', ['partitions', '8']],
      ['partitioned keyset, 16', ['partitions', '16']],
      // Key order is the ranges one after another (each range is a contiguous slice of the key space), so this one
      // is about as slow as the baseline: there to show it. Latency-bound like the baseline, so one run.
      ['partitioned keyset, 16, ordered (merged in key order)', ['partitions', '16', 'ordered']],
      // An incremental read from before every record: the ranges advance together in (sys_updated_on, sys_id) order.
      ['partitioned keyset, 16, since + ordered (merged in update order)', ['partitions', '16', 'since-ordered']],
    ] as const) {
      console.log(`  read ${fmt(rows)} incidents, ${fmt(PAGE)} per page: ${name}...`);
      read[name] = checkedRead(name, await repeatedRead(sim.url, args, args[2]?.endsWith('ordered') ? 1 : undefined), rows, read);
    }
    await readModeRows(sim.url, rows, read);
    console.log(`  create ${one} incidents one at a time...`);
    create['one at a time'] = await runCase<LatencyFigures>('latency-create', [sim.url, 'one', String(one)]);
    console.log(`  create ${bulk} incidents with bulk(), 16 at once...`);
    create['bulk, concurrency 16'] = await runCase<LatencyFigures>('latency-create', [sim.url, 'bulk', String(bulk), '16']);
    await createRecordsRows(sim.url, create);
  } finally {
    await sim.stop();
  }
  const failedReads: Record<string, string> = {};
  await rateLimitedRows(rows, read, failedReads);
  const base = read['sequential keyset, raw undici']!;
  const oneAtATime = create['one at a time']!;
  const table: string[][] = [['scenario', 'records', 'wall time', 'records/s', 'vs baseline', 'peak RSS', 'requests']];
  const row = (name: string, f: LatencyFigures, baseline: LatencyFigures) => [name, fmt(f.records), `${fmt(f.ms / 1000, 1)} s`, fmt(f.recordsPerSecond), `${fmt(f.recordsPerSecond / baseline.recordsPerSecond, 1)}x`, `${fmt(f.peakRssMb)} MB`, fmt(f.requests)];
  for (const [name, f] of Object.entries(read)) table.push([`read: ${name}`, ...row(name, f, base).slice(1)]);
  for (const name of Object.keys(failedReads)) table.push([`read: ${name}`, 'FAILED', '', '', '', '', '']);
  for (const [name, f] of Object.entries(create)) table.push([`create: ${name}`, ...row(name, f, oneAtATime).slice(1)]);
  const parseCeiling = base.parseMs ? { parseMs: Math.round(base.parseMs), ratio: Number((base.ms / base.parseMs).toFixed(1)) } : undefined;
  return { simulator: SIMULATOR_FLAGS.join(' '), rows, pageSize: PAGE, read, ...(Object.keys(failedReads).length ? { failedReads } : {}), create, table, ...(parseCeiling ? { parseCeiling } : {}), loadAverage: { start, end: loadavg()[0]! } };
}

/** Reads: offset paging with parallel ranges, and the partitioned keyset read that finds its own limit (auto). */
async function readModeRows(url: string, rows: number, read: Record<string, LatencyFigures>): Promise<void> {
  for (const [name, args] of [
    ['offset, parallelRanges 8', ['offset', '8']],
    ['partitioned keyset, auto', ['partitions', 'auto']],
    // The 16-range read asking for reference fields without their link (28% of an incident's bytes): what a read
    // bound by the client's JSON.parse gains from fewer bytes. Last of the reads: the simulator caches one output shape
    // per table, so a read in this shape makes the next read in the full shape serialise every record again (the
    // key-ordered read after it took 29 s instead of 24).
    ['partitioned keyset, 16, sysparmExcludeReferenceLink=true', ['partitions', '16', 'no-links']],
  ] as const) {
    console.log(`  read ${fmt(rows)} incidents, ${fmt(PAGE)} per page: ${name}...`);
    read[name] = checkedRead(name, await repeatedRead(url, args), rows, read);
  }
}

/**
 * One read scenario run LATENCY_REPEAT times (this machine's timing varies by ~10% from run to run): the median run's
 * figures, with the highest peak RSS of all the runs and every run's time in `runsMs`.
 */
async function repeatedRead(url: string, args: readonly string[], times?: number): Promise<LatencyFigures> {
  const repeat = times ?? Math.max(1, Number(process.env['LATENCY_REPEAT'] ?? 3));
  const [mode, partitions, ...flags] = args;
  const runs: LatencyFigures[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await runCase<LatencyFigures>('latency-read', [url, mode!, partitions!, String(PAGE), ...flags]));
  const middle = [...runs].sort((a, b) => a.ms - b.ms)[runs.length >> 1]!;
  for (const r of runs) if (r.records !== middle.records) throw new Error(`runs of ${args.join(' ')} read ${runs.map((x) => x.records).join(', ')} records`);
  return { ...middle, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), runsMs: runs.map((r) => Math.round(r.ms)) };
}

/** The same reads against an instance whose rate limit answers 429 with Retry-After: auto backs off, 16 ranges keep hitting it. */
async function rateLimitedRows(rows: number, read: Record<string, LatencyFigures>, failedReads: Record<string, string>): Promise<void> {
  const limit = process.env['LATENCY_RATE_LIMIT'] ?? '8/1s';
  console.log(`  simulator with --rate-limit ${limit} too...`);
  const sim = await startSimulatorProcess(['--generate', `incident=${rows}`, ...SIMULATOR_FLAGS, '--rate-limit', limit]);
  try {
    for (const [name, partitions] of [
      [`rate limit ${limit}: partitioned keyset, auto`, 'auto'],
      [`rate limit ${limit}: partitioned keyset, 16`, '16'],
    ] as const) {
      console.log(`  read ${fmt(rows)} incidents: ${name}...`);
      try {
        // Paced by the rate limit, not by this machine's CPU: one run.
        read[name] = checkedRead(name, await repeatedRead(sim.url, ['partitions', partitions], 1), rows, read);
      } catch (err) {
        // A read that gives up is a result too (fixed ranges against a rate limit can run out of retries): it is
        // reported as failed, and the other scenarios' figures are kept.
        const message = err instanceof Error ? err.message : String(err);
        console.log(`    failed: ${message.slice(0, 200)}`);
        failedReads[name] = message.slice(0, 500);
      }
    }
  } finally {
    await sim.stop();
  }
}

function checkedRead(name: string, r: LatencyFigures, rows: number, read: Record<string, LatencyFigures>): LatencyFigures {
  const expected = read['sequential keyset, raw undici']?.records ?? r.records;
  if (r.records < rows || r.records !== expected || r.distinct !== r.records) throw new Error(`${name} read ${r.records} records (${r.distinct} distinct), expected ${expected}`);
  return r;
}

/** Creates through the createRecords operation in each mode (LATENCY_CREATE records, default 20,000). */
async function createRecordsRows(url: string, create: Record<string, LatencyFigures>): Promise<void> {
  const count = process.env['LATENCY_CREATE'] ?? '20000';
  for (const [name, args] of [
    ['createRecords mode=concurrent, 16 at once', ['concurrent', count, '16', '1']],
    ['createRecords mode=batch, 50 per request, 8 at once', ['batch', count, '8', '50']],
    ['createRecords mode=importSet, 200 per insertMultiple, 8 at once', ['importSet', count, '8', '200']],
  ] as const) {
    console.log(`  create ${fmt(Number(count))} incidents: ${name}...`);
    const r = await runCase<LatencyFigures & { firstError?: string }>('latency-create-records', [url, ...args]);
    if ((r.failed ?? 0) > 0) throw new Error(`${name}: ${r.failed} records failed (${r.firstError})`);
    create[name] = r;
  }
}

export function printLatencyTable(table: string[][], ceiling?: ParseCeiling): void {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const line = (r: string[]) => '| ' + r.map((v, c) => v.padEnd(widths[c]!)).join(' | ') + ' |';
  console.log('\n' + line(table[0]!));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of table.slice(1)) console.log(line(r));
  if (ceiling) {
    console.log(`\none thread decodes and parses the read's pages in ${fmt(ceiling.parseMs / 1000, 2)} s here (the baseline's own parse time):`);
    console.log(`a client that parses every record cannot go past ${fmt(ceiling.ratio, 1)}x the baseline on this machine`);
  }
}

/** Sets the `latency` key of bench/results.json, keeping the rest. */
export function saveLatency(results: LatencyResults): void {
  const file = `${ROOT}bench/results.json`;
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...previous, latency: { date: new Date().toISOString(), ...results } }, null, 2) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runLatencyScenarios()
    .then((results) => {
      printLatencyTable(results.table, results.parseCeiling);
      saveLatency(results);
      console.log('\nwrote the latency key of bench/results.json');
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
