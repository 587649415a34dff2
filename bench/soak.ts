// Soak test of resilience through the public API (`npm run soak`; not part of `npm test`).
//
// Against a simulator that rate-limits and injects 10% 503s and 2% connection resets (half of them after
// the record was committed), it runs, through loadConnector().connect().invoke(): 10,000 getRecordById reads,
// 2,000 postRecord creates with idempotencyField=correlation_id and 2,000 without it, then checks the table itself:
//   - every read returned the right record;
//   - every create with an idempotency field is present exactly once;
//   - no create without one is duplicated, and every unknown outcome was reported as OUTCOME_UNKNOWN.
// Prints the retry counts (read off the simulator's own request counters); exits 1 when any check fails.
import { randomUUID } from 'node:crypto';
import { isConnectorError } from '../src/errors.js';
import { loadConnector, type Connection } from '../src/index.js';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.js';

const READS = 10_000;
const CREATES = 2_000;
const WORKERS = 64;

interface Failure {
  check: string;
  detail: string;
}

const failures: Failure[] = [];
function fail(check: string, detail: string): void {
  failures.push({ check, detail });
}

/** Runs `task` for 0..n-1 with at most `workers` in flight. */
async function runPool(n: number, workers: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

function countsByKey(sim: RunningSimulator, prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of sim.db.list('incident', `correlation_idSTARTSWITH${prefix}`)) {
    const key = String(row.correlation_id);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function reads(sim: RunningSimulator, conn: Connection): Promise<void> {
  const rows = sim.db.list('incident').slice(0, 500);
  let ok = 0;
  const errors = new Map<string, number>();
  await runPool(READS, WORKERS, async (i) => {
    const expected = rows[i % rows.length];
    try {
      const res = await conn.invoke('getRecordById', { tableName: 'incident', sysId: String(expected.sys_id) });
      const got = (res.payload as { result?: Record<string, unknown> } | undefined)?.result;
      if (res.status !== 200 || !got || got.sys_id !== expected.sys_id || got.number !== expected.number || got.short_description !== expected.short_description) {
        fail('read correct', `read ${i}: status ${res.status}, sys_id ${String(got?.sys_id)} (expected ${String(expected.sys_id)})`);
      } else ok++;
    } catch (err) {
      const code = isConnectorError(err) ? err.code : 'THROWN';
      errors.set(code, (errors.get(code) ?? 0) + 1);
      fail('read correct', `read ${i}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  console.log(`reads: ${ok}/${READS} correct${errors.size ? `, errors ${JSON.stringify(Object.fromEntries(errors))}` : ''}`);
}

async function createsWithIdempotency(sim: RunningSimulator, conn: Connection, runId: string): Promise<void> {
  const prefix = `soak-eo-${runId}-`;
  const outcomes = new Map<string, number>();
  await runPool(CREATES, WORKERS, async (i) => {
    try {
      const key = `${prefix}${i}`;
      const res = await conn.invoke('postRecord', {
        tableName: 'incident',
        idempotencyField: 'correlation_id',
        payload: { short_description: `soak ${key}`, correlation_id: key },
      });
      const outcome = res.status === 201 ? 'created' : `HTTP ${res.status}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    } catch (err) {
      const code = isConnectorError(err) ? err.code : 'THROWN';
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    }
  });
  const counts = countsByKey(sim, prefix);
  let exactlyOnce = 0;
  for (let i = 0; i < CREATES; i++) {
    const n = counts.get(`${prefix}${i}`) ?? 0;
    if (n === 1) exactlyOnce++;
    else fail('create exactly once', `${prefix}${i} is present ${n} times`);
  }
  console.log(`creates with idempotency field: ${exactlyOnce}/${CREATES} present exactly once; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
}

async function createsWithoutIdempotency(sim: RunningSimulator, conn: Connection, runId: string): Promise<void> {
  const prefix = `soak-plain-${runId}-`;
  const outcome: string[] = new Array(CREATES);
  await runPool(CREATES, WORKERS, async (i) => {
    try {
      const key = `${prefix}${i}`;
      const res = await conn.invoke('postRecord', { tableName: 'incident', payload: { short_description: `soak ${key}`, correlation_id: key } });
      outcome[i] = res.status === 201 ? 'created' : `HTTP ${res.status}`;
    } catch (err) {
      outcome[i] = isConnectorError(err) ? err.code : 'THROWN';
    }
  });
  const counts = countsByKey(sim, prefix);
  const tally: Record<string, number> = {};
  let unknownApplied = 0;
  let unknownNotApplied = 0;
  for (let i = 0; i < CREATES; i++) {
    const n = counts.get(`${prefix}${i}`) ?? 0;
    tally[outcome[i]] = (tally[outcome[i]] ?? 0) + 1;
    if (n > 1) fail('no duplicate', `${prefix}${i} is present ${n} times`);
    if (outcome[i] === 'created' && n !== 1) fail('reported create present', `${prefix}${i} reported created but present ${n} times`);
    if (outcome[i] === 'OUTCOME_UNKNOWN') {
      if (n === 1) unknownApplied++;
      else unknownNotApplied++;
    } else if (outcome[i] !== 'created' && n !== 0) {
      // Anything reported as a plain failure must really not have been applied; otherwise it was an unknown outcome.
      fail('unknown outcome reported', `${prefix}${i} reported ${outcome[i]} but present ${n} times`);
    }
  }
  console.log(
    `creates without idempotency field: outcomes ${JSON.stringify(tally)}; OUTCOME_UNKNOWN that had been applied ${unknownApplied}, not applied ${unknownNotApplied}; duplicates ${failures.filter((f) => f.check === 'no duplicate').length}`,
  );
}

function routeCount(stats: ReturnType<RunningSimulator['stats']>, route: string): number {
  return stats.byRoute[route] ?? 0;
}

async function main(): Promise<void> {
  const sim = await startSimulator({
    port: 0,
    seed: 42,
    generate: { incident: 1_000 },
    behaviour: {
      rateLimit: { limit: 1_500, windowMs: 1_000 },
      faults: { status503: 0.1, resetBeforeProcessing: 0.01, resetAfterCommit: 0.01 },
    },
  });
  const connector = await loadConnector();
  const conn = connector.connect({
    serviceNowInstanceURL: sim.url,
    username: 'admin',
    password: 'admin',
    maxConcurrency: 32,
    maxRetries: 10,
    retryInitialDelay: 50,
    retryMaxDelay: 2_000,
    deadline: 120_000,
  });
  const runId = randomUUID().slice(0, 8);
  const started = Date.now();
  try {
    for (const [name, calls, phase] of [
      ['reads', READS, () => reads(sim, conn)],
      ['creates with idempotency field', CREATES, () => createsWithIdempotency(sim, conn, runId)],
      ['creates without idempotency field', CREATES, () => createsWithoutIdempotency(sim, conn, runId)],
    ] as const) {
      const before = sim.stats();
      const phaseStart = Date.now();
      await phase();
      const after = sim.stats();
      // Every request the instance saw beyond one per call was a retry or, for creates, a lookup of the outcome.
      const sent = after.totalRequests - before.totalRequests;
      const lookups = routeCount(after, 'GET /api/now/table/{table}') - routeCount(before, 'GET /api/now/table/{table}');
      const limited = after.rateLimited - before.rateLimited;
      console.log(
        `  ${name}: ${((Date.now() - phaseStart) / 1000).toFixed(1)} s, ${calls} calls, ${sent} requests sent: retries ${sent - calls - lookups}, outcome lookups ${lookups}, rate limited ${limited}`,
      );
    }
    const s = sim.stats();
    console.log(`simulator: ${s.totalRequests} requests, faults injected ${JSON.stringify(s.faultsInjected)}, rate limited ${s.rateLimited}, by status ${JSON.stringify(s.byStatus)}`);
    console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await conn.close();
    await sim.close();
  }
  if (failures.length > 0) {
    const byCheck = new Map<string, number>();
    for (const f of failures) byCheck.set(f.check, (byCheck.get(f.check) ?? 0) + 1);
    console.log(`FAILED: ${JSON.stringify(Object.fromEntries(byCheck))}`);
    for (const f of failures.slice(0, 10)) console.log(`  ${f.check}: ${f.detail}`);
    process.exitCode = 1;
  } else {
    console.log('PASSED: every read correct, every idempotent create present exactly once, no duplicate, every unknown outcome reported');
  }
}

await main();
