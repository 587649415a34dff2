// Forwarding throughput with 1, 2 and 4 consumer processes (`snconnect serve` workers, member.count 4 each)
// sharing one RabbitMQ store, against a simulator that answers each request after 50 ms. The baseline in the same
// run is a hand-written undici loop doing the same creates with the same number of requests in flight as the
// workers together (what the latency allows); the ratio says how close the store-and-forward path gets.
// Writes `storeForwarding` into bench/results.json (other keys kept).
//   npm run build && node dist/bench/store/throughput.js [--messages 400] [--backend rabbitmq]
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { MessageContext } from '../../src/context/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { StoreRegistry } from '../../src/store/index.js';
import { removeDeployment, writeDeployment, type Backend } from './deployment.js';
import { WorkerPool } from './workers.js';

const LATENCY_MS = 50;
const MEMBERS = 4;

interface Point {
  processes: number;
  messages: number;
  seconds: number;
  perSecond: number;
  baselinePerSecond: number;
  ratioToBaseline: number;
  speedupOverOneProcess?: number;
}

async function waitFor(condition: () => boolean, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The same creates by hand: undici, `concurrency` in flight, Basic auth, JSON body. */
async function baseline(sim: RunningSimulator, messages: number, concurrency: number): Promise<number> {
  const agent = new Agent({ connections: concurrency });
  const run = randomUUID().slice(0, 8);
  const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < messages) {
        const i = next++;
        const res = await request(`${sim.url}/api/now/table/incident`, {
          method: 'POST',
          dispatcher: agent,
          headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ short_description: `baseline ${i}`, correlation_id: `BASE-${run}-${i}` }),
        });
        await res.body.text();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return messages / seconds;
}

async function measure(sim: RunningSimulator, backend: Backend, processes: number, messages: number): Promise<Omit<Point, 'baselinePerSecond' | 'ratioToBaseline'>> {
  const run = randomUUID().replace(/-/g, '').slice(0, 8);
  const dir = await mkdtemp(join(tmpdir(), 'snc-throughput-'));
  const deployment = await writeDeployment({ dir, backend, prefix: `snc_bench_${run}`, instanceUrl: sim.url, members: MEMBERS, leaseMs: 30_000, intervalMs: 20 });
  const registry = new StoreRegistry(deployment.stores);
  const pool = new WorkerPool(dir, processes);
  try {
    await registry.get(deployment.main);
    await pool.startAll();
    const created = () => sim.db.count('incident', `correlation_idSTARTSWITHTPUT-${run}-`);
    const started = performance.now();
    for (let i = 0; i < messages; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, messages - i) }, (_, k) =>
          registry.store(deployment.main, new MessageContext({ payload: { short_description: `throughput ${i + k}`, correlation_id: `TPUT-${run}-${i + k}` } })),
        ),
      );
    }
    await waitFor(() => created() >= messages, 120_000);
    const seconds = (performance.now() - started) / 1000;
    return { processes, messages, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(messages / seconds) };
  } finally {
    await pool.stopAll();
    await registry.closeAll();
    await removeDeployment(deployment).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '400' }, backend: { type: 'string', default: 'rabbitmq' } }, strict: true });
  const messages = Number(values.messages);
  const backend = values.backend as Backend;
  const loadAtStart = loadavg()[0];
  const sim = await startSimulator({ port: 0, behaviour: { latency: { fixedMs: LATENCY_MS, jitterMs: 0 } } });
  const points: Point[] = [];
  try {
    for (const processes of [1, 2, 4]) {
      const p = await measure(sim, backend, processes, messages);
      const base = await baseline(sim, messages, processes * MEMBERS);
      points.push({ ...p, baselinePerSecond: Math.round(base), ratioToBaseline: Math.round((p.perSecond / base) * 100) / 100 });
      console.log(`${processes} process(es) x ${MEMBERS} members: ${p.perSecond}/s forwarded (${p.seconds} s for ${messages}); hand-written undici loop with ${processes * MEMBERS} in flight: ${Math.round(base)}/s`);
    }
  } finally {
    await sim.close();
  }
  for (const p of points) p.speedupOverOneProcess = Math.round((p.perSecond / points[0]!.perSecond) * 100) / 100;
  const result = {
    date: new Date().toISOString(),
    backend,
    simulatorLatencyMs: LATENCY_MS,
    membersPerProcess: MEMBERS,
    idealPerProcessPerSecond: Math.round((MEMBERS * 1000) / LATENCY_MS),
    cores: cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg()[0],
    points,
  };
  const file = fileURLToPath(new URL('../../../bench/results.json', import.meta.url));
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...existing, storeForwarding: result }, null, 2) + '\n');
  console.log(JSON.stringify(result));
}

void main();
