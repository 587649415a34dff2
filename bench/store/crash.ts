// Crash test of store-and-forward: W worker processes (each `snconnect serve` of the same artifacts) consume N stored create requests from one store against
// a simulator that answers 5% 503s and 5% connection resets (half of them after committing); one worker is
// SIGKILLed every few seconds and restarted. Afterwards every request must have been created exactly once,
// none lost, none duplicated, and the dead-letter store must be empty. Run for RabbitMQ, PostgreSQL and the
// on-disk store:
//   npm run build && node dist/bench/store/crash.js [--backend rabbitmq|postgres|disk|all] [--messages 5000]
//        [--workers 3] [--kill-every 3000]
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MessageContext } from '../../src/context/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { StoreRegistry } from '../../src/store/index.js';
import { removeDeployment, writeDeployment, type Backend } from './deployment.js';
import { WorkerPool } from './workers.js';

export interface CrashOptions {
  backend: Backend;
  messages: number;
  workers: number;
  killEveryMs: number;
  /** Stop killing after this many kills (the suite's short form kills once). */
  maxKills?: number;
  /** Lease of the table-backed stores: how long a dead worker's message stays invisible (default 5 s). */
  leaseMs?: number;
  /** Give up after this long (the result then says what was missing). */
  limitMs: number;
}

export interface CrashResult {
  backend: Backend;
  messages: number;
  workers: number;
  kills: number;
  created: number;
  missing: number;
  duplicated: number;
  deadLettered: number;
  leftInStore: number;
  faultsInjected: Record<string, number>;
  seconds: number;
  ok: boolean;
}

export async function runCrashTest(o: CrashOptions): Promise<CrashResult> {
  const started = performance.now();
  const run = randomUUID().replace(/-/g, '').slice(0, 8);
  const prefix = `snc_crash_${o.backend}_${run}`;
  const sim = await startSimulator({ port: 0, seed: 11, behaviour: { faults: { status503: 0.05, resetBeforeProcessing: 0.025, resetAfterCommit: 0.025 } } });
  const dir = await mkdtemp(join(tmpdir(), 'snc-crash-'));
  const deployment = await writeDeployment({ dir, backend: o.backend, prefix, instanceUrl: sim.url, members: 4, leaseMs: o.leaseMs ?? 5000, intervalMs: 100 });
  const registry = new StoreRegistry(deployment.stores);
  const pool = new WorkerPool(dir, o.workers);
  try {
    const main = await registry.get(deployment.main);
    const ids = Array.from({ length: o.messages }, (_, i) => `CRASH-${run}-${i}`);
    // Stored 200 at a time: each store() resolves when the broker or database has the message.
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(ids.slice(i, i + 200).map((id) => registry.store(deployment.main, new MessageContext({ payload: { short_description: `crash test ${id}`, correlation_id: id } }))));
    }
    const t = (what: string) => process.env['CRASH_TRACE'] && process.stderr.write(`${Math.round(performance.now() - started)} ms: ${what}\n`);
    t('stored');
    await pool.startAll();
    t('workers ready');
    const created = () => sim.db.count('incident', `correlation_idSTARTSWITHCRASH-${run}-`);
    const end = Date.now() + o.limitMs;
    let nextKill = Date.now() + o.killEveryMs;
    let victim = 0;
    // Kill while work remains; then stop the workers gracefully and check that nothing came back to the store.
    for (;;) {
      while (Date.now() < end) {
        const stats = await main.stats();
        if (created() >= o.messages && stats.depth === 0) break;
        if (Date.now() >= nextKill && pool.kills < (o.maxKills ?? Infinity)) {
          await pool.killAndRestart(victim);
          victim = (victim + 1) % o.workers;
          nextKill = Date.now() + o.killEveryMs;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      t(`all created (${created()})`);
      await pool.stopAll();
      t('workers stopped');
      if ((await main.stats()).depth === 0 || Date.now() >= end) break;
      await pool.startAll(); // something was still claimed by a worker that stopped; let it finish
    }
    const rows = sim.db.list('incident', `correlation_idSTARTSWITHCRASH-${run}-`);
    const perId = new Map<string, number>();
    for (const r of rows) perId.set(String(r['correlation_id']), (perId.get(String(r['correlation_id'])) ?? 0) + 1);
    const missing = ids.filter((id) => !perId.has(id)).length;
    const duplicated = [...perId.values()].filter((n) => n > 1).length;
    const deadLettered = (await (await registry.get(deployment.dlq)).stats()).depth;
    const leftInStore = (await main.stats()).depth;
    return {
      backend: o.backend,
      messages: o.messages,
      workers: o.workers,
      kills: pool.kills,
      created: rows.length,
      missing,
      duplicated,
      deadLettered,
      leftInStore,
      faultsInjected: sim.stats().faultsInjected as Record<string, number>,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      ok: missing === 0 && duplicated === 0 && deadLettered === 0 && leftInStore === 0 && rows.length === o.messages,
    };
  } finally {
    await pool.stopAll();
    await registry.closeAll();
    await removeDeployment(deployment).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    await sim.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'all' },
      messages: { type: 'string', default: '5000' },
      workers: { type: 'string', default: '3' },
      'kill-every': { type: 'string', default: '3000' },
    },
    strict: true,
  });
  const backends: Backend[] = values.backend === 'all' ? ['rabbitmq', 'postgres', 'disk'] : [values.backend as Backend];
  let failed = false;
  for (const backend of backends) {
    const result = await runCrashTest({ backend, messages: Number(values.messages), workers: Number(values.workers), killEveryMs: Number(values['kill-every']), limitMs: 300_000 });
    console.log(JSON.stringify(result));
    failed ||= !result.ok;
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) void main();
