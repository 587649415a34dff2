// Soak test of the transport's resilience (`npm run soak`; not part of `npm test`).
//
// Against a simulator that rate-limits and injects 10% 503s and 2% connection resets (half of them after
// the record was committed), it runs 10,000 reads, 2,000 creates with an idempotency field and 2,000
// creates without one, then checks the table itself:
//   - every read returned the right record;
//   - every create with an idempotency field is present exactly once;
//   - no create without one is duplicated, and every unknown outcome was reported as OUTCOME_UNKNOWN.
// Prints the retry counts; exits 1 when any check fails.
import { randomUUID } from 'node:crypto';
import { isConnectorError } from '../src/errors.js';
import { Transport, type IncomingResponse, type OutgoingRequest, type TransportStats } from '../src/http/index.js';
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

function getById(sysId: string): OutgoingRequest {
  return { operation: 'getRecordById', method: 'GET', path: `/api/now/table/incident/${sysId}`, query: [], headers: {}, idempotent: true };
}

function create(key: string, withProbe: boolean): OutgoingRequest {
  const req: OutgoingRequest = {
    operation: 'postRecord',
    method: 'POST',
    path: '/api/now/table/incident',
    query: [],
    headers: {},
    body: JSON.stringify({ short_description: `soak ${key}`, correlation_id: key }),
    idempotent: false,
  };
  if (withProbe) {
    req.outcomeProbe = {
      request: { operation: 'postRecord', method: 'GET', path: '/api/now/table/incident', query: [['sysparm_query', `correlation_id=${key}`], ['sysparm_limit', '1']], headers: {}, idempotent: true },
      interpret(res: IncomingResponse): IncomingResponse | undefined {
        const rows = (res.json as { result?: unknown[] } | undefined)?.result;
        if (!Array.isArray(rows) || rows.length === 0) return undefined;
        const json = { result: rows[0] };
        return { status: 201, headers: res.headers, body: JSON.stringify(json), json, attempts: res.attempts };
      },
    };
  }
  return req;
}

function delta(after: TransportStats, before: TransportStats): TransportStats {
  const out = { ...after };
  for (const k of Object.keys(out) as (keyof TransportStats)[]) out[k] = after[k] - before[k];
  return out;
}

function countsByKey(sim: RunningSimulator, prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of sim.db.list('incident', `correlation_idSTARTSWITH${prefix}`)) {
    const key = String(row.correlation_id);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function reads(sim: RunningSimulator, transport: Transport): Promise<void> {
  const rows = sim.db.list('incident').slice(0, 500);
  let ok = 0;
  const errors = new Map<string, number>();
  await runPool(READS, WORKERS, async (i) => {
    const expected = rows[i % rows.length];
    try {
      const res = await transport.send(getById(String(expected.sys_id)));
      const got = (res.json as { result?: Record<string, unknown> } | undefined)?.result;
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

async function createsWithIdempotency(sim: RunningSimulator, transport: Transport, runId: string): Promise<void> {
  const prefix = `soak-eo-${runId}-`;
  const outcomes = new Map<string, number>();
  await runPool(CREATES, WORKERS, async (i) => {
    try {
      const res = await transport.send(create(`${prefix}${i}`, true));
      const key = res.status === 201 ? 'created' : `HTTP ${res.status}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
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

async function createsWithoutIdempotency(sim: RunningSimulator, transport: Transport, runId: string): Promise<void> {
  const prefix = `soak-plain-${runId}-`;
  const outcome: string[] = new Array(CREATES);
  await runPool(CREATES, WORKERS, async (i) => {
    try {
      const res = await transport.send(create(`${prefix}${i}`, false));
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
  const transport = new Transport({
    baseUrl: sim.url,
    auth: { type: 'basic', username: 'admin', password: 'admin' },
    maxConcurrency: 32,
    retry: { maxRetries: 10, initialDelayMs: 50, maxDelayMs: 2_000 },
    timeouts: { deadlineMs: 120_000 },
  });
  const runId = randomUUID().slice(0, 8);
  const started = Date.now();
  try {
    for (const [name, phase] of [
      ['reads', () => reads(sim, transport)],
      ['creates with idempotency field', () => createsWithIdempotency(sim, transport, runId)],
      ['creates without idempotency field', () => createsWithoutIdempotency(sim, transport, runId)],
    ] as const) {
      const before = transport.stats();
      const phaseStart = Date.now();
      await phase();
      const d = delta(transport.stats(), before);
      console.log(
        `  ${name}: ${((Date.now() - phaseStart) / 1000).toFixed(1)} s, attempts ${d.attempts}, retries ${d.retries}, probes ${d.probes} (found ${d.probesFound}), OUTCOME_UNKNOWN ${d.outcomeUnknown}`,
      );
    }
    const s = sim.stats();
    console.log(`simulator: ${s.totalRequests} requests, faults injected ${JSON.stringify(s.faultsInjected)}, rate limited ${s.rateLimited}, by status ${JSON.stringify(s.byStatus)}`);
    console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await transport.close();
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
