// `npm run bench:xml`: a proxy that converts a JSON request to XML, calls a local XML back end and converts the answer
// back to JSON, under `snconnect serve` against a hand-written node:http + undici handler doing the same conversions
// with the same libraries (bench/cases/xml-proxy-target.ts). Each server and the back end run in a process of their
// own; both proxies are driven from here at concurrency 32 in alternating rounds, so machine load hits both alike.
// Besides the throughputs and their ratio it reports each proxy's CPU time per request (user + system, read from
// /proc/<pid>/stat around each round): on a shared machine that figure hardly moves with the load, while the
// throughputs do. Part of `npm run bench` (a short run); alone it writes the xmlProxy key of bench/results.json.
//   BENCH_XML_REQUESTS=4000 npm run bench:xml   a quick look (default 20,000 per side)
//   BENCH_XML_JSON=1 npm run bench:xml          the same without conversions (JSON end to end), key jsonProxy
//   BENCH_XML_PROFILE=<dir> npm run bench:xml   both proxies run under --cpu-prof (<dir>/serve.cpuprofile, raw.cpuprofile)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { ROOT, startListeningChild, type SimulatorProcess } from './support/child.js';

const CONCURRENCY = 32;
const ROUNDS = 5;
/** Linux's clock tick (USER_HZ), the unit of utime and stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = 100;

export interface XmlProxyResults {
  requestsPerSide: number;
  concurrency: number;
  servePerSecond: number;
  rawPerSecond: number;
  ratio: number;
  /** CPU time (user + system) of each proxy process per request, in microseconds; undefined where /proc is missing. */
  serveCpuPerRequestUs: number | undefined;
  rawCpuPerRequestUs: number | undefined;
  /** raw / serve CPU per request: the ratio the throughputs would show on an idle machine with one core per proxy. */
  cpuRatio: number | undefined;
  target: string;
  met: boolean;
  loadAverage: number[];
  measuredAt: string;
}

function start(mode: string, args: string[], nodeFlags: string[] = []): Promise<SimulatorProcess> {
  const file = fileURLToPath(new URL('./cases/xml-proxy-target.js', import.meta.url));
  return startListeningChild(spawn(process.execPath, [...nodeFlags, file, mode, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }), mode);
}

/** User + system CPU seconds the process has used so far, or undefined without /proc. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the
    // 14th field of the line, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

const order = (i: number) => JSON.stringify({ order: { id: `ORD-${i}`, customer: { name: 'Ann', tier: 'gold' }, lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }], rush: false } });

async function drive(agent: Agent, base: string, n: number): Promise<number> {
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

/** One measurement: `total` requests per side in ROUNDS alternating rounds, after a warm-up of each. */
export async function runXmlProxy(options: { total?: number; json?: boolean; profileDir?: string } = {}): Promise<XmlProxyResults> {
  const total = options.total ?? Number(process.env['BENCH_XML_REQUESTS'] ?? 20_000);
  const variant = options.json ? ['json'] : [];
  const agent = new Agent({ connections: CONCURRENCY });
  const backend = await start('backend', variant);
  const profile = (name: string) => (options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
  const serve = await start('serve', [backend.url, ...variant], profile('serve'));
  const raw = await start('raw', [backend.url, ...variant], profile('raw'));
  try {
    const block = Math.floor(total / ROUNDS);
    const warmUp = Math.min(1000, block);
    await drive(agent, serve.url, warmUp);
    await drive(agent, raw.url, warmUp);
    let serveMs = 0;
    let rawMs = 0;
    let serveCpu: number | undefined = 0;
    let rawCpu: number | undefined = 0;
    const measured = async (side: SimulatorProcess): Promise<[number, number | undefined]> => {
      const before = cpuSeconds(side.pid);
      const ms = await drive(agent, side.url, block);
      const after = cpuSeconds(side.pid);
      return [ms, before === undefined || after === undefined ? undefined : after - before];
    };
    for (let round = 0; round < ROUNDS; round++) {
      const [sMs, sCpu] = await measured(serve);
      const [rMs, rCpu] = await measured(raw);
      serveMs += sMs;
      rawMs += rMs;
      serveCpu = serveCpu === undefined || sCpu === undefined ? undefined : serveCpu + sCpu;
      rawCpu = rawCpu === undefined || rCpu === undefined ? undefined : rawCpu + rCpu;
    }
    const n = block * ROUNDS;
    const perRequest = (seconds: number | undefined) => (seconds === undefined ? undefined : Math.round((seconds * 1e6) / n));
    const ratio = Number((rawMs / serveMs).toFixed(3));
    const serveCpuPerRequestUs = perRequest(serveCpu);
    const rawCpuPerRequestUs = perRequest(rawCpu);
    return {
      requestsPerSide: n,
      concurrency: CONCURRENCY,
      servePerSecond: Math.round((n * 1000) / serveMs),
      rawPerSecond: Math.round((n * 1000) / rawMs),
      ratio,
      serveCpuPerRequestUs,
      rawCpuPerRequestUs,
      cpuRatio: serveCpuPerRequestUs && rawCpuPerRequestUs ? Number((rawCpuPerRequestUs / serveCpuPerRequestUs).toFixed(3)) : undefined,
      target: '>= 0.8x',
      met: ratio >= 0.8,
      loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
      measuredAt: new Date().toISOString(),
    };
  } finally {
    await Promise.all([serve, raw, backend].map((p) => p.stop()));
    await agent.close();
  }
}

export function printXmlProxy(r: XmlProxyResults, json = false): void {
  const cpu = (us: number | undefined) => (us === undefined ? '' : `, ${us} us CPU per request`);
  console.log(`\n${json ? 'JSON proxy (no conversion)' : 'XML proxy (JSON -> XML -> back end -> XML -> JSON)'}, ${r.requestsPerSide} requests per side at concurrency ${r.concurrency}`);
  console.log(`  snconnect serve      ${r.servePerSecond} req/s${cpu(r.serveCpuPerRequestUs)}`);
  console.log(`  node:http + undici   ${r.rawPerSecond} req/s${cpu(r.rawCpuPerRequestUs)}`);
  console.log(`  ratio                ${r.ratio}x (target ${r.target}; ${r.met ? 'met' : 'MISSED'})${r.cpuRatio === undefined ? '' : `, by CPU per request ${r.cpuRatio}x`}; load average ${r.loadAverage.join(' ')}`);
}

/** Sets the xmlProxy (or jsonProxy) key of bench/results.json, keeping the rest. */
export function saveXmlProxy(r: XmlProxyResults, json = false): void {
  const file = `${ROOT}bench/results.json`;
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[json ? 'jsonProxy' : 'xmlProxy'] = r;
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = process.env['BENCH_XML_JSON'] === '1';
  const profileDir = process.env['BENCH_XML_PROFILE'];
  runXmlProxy({ json, ...(profileDir ? { profileDir } : {}) })
    .then((r) => {
      printXmlProxy(r, json);
      saveXmlProxy(r, json);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
