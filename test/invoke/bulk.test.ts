// Bulk creates (conn.bulk) over real HTTP against the simulator: concurrent postRecord calls with the exactly-once
// guard, results in input order, a progress count, and no record lost or duplicated under injected 503s and resets.
import { afterEach, describe, expect, it } from 'vitest';
import { useSimulator } from './support.js';

const h = useSimulator();
const NO_FAULTS = { status503: 0, resetBeforeProcessing: 0, resetAfterCommit: 0 };
afterEach(() => h.sim.configure({ faults: NO_FAULTS, nextFaults: [] }));

const resultOf = (payload: unknown) => (payload as { result: Record<string, string> }).result;

describe('bulk creates', () => {
  it('creates every record exactly once under 503s and resets, results in input order with their sys_ids', async () => {
    // 40% of requests fail here, lookups included: 20 retries (the most init allows) make a chain of 21 failures,
    // and so a spurious 'outcome unknown', about 4e-9 per call instead of ~3e-4 with 8.
    const conn = h.connect({ maxRetries: 20, retryInitialDelay: 1 });
    const records = Array.from({ length: 40 }, (_, i) => ({ short_description: `bulk ${i}`, correlation_id: `bulk-exactly-once-${i}` }));
    h.sim.configure({ faults: { status503: 0.15, resetBeforeProcessing: 0.1, resetAfterCommit: 0.15 } });
    // A stream of parameter objects: each item is read only when a call slot is free.
    async function* items() {
      for (const payload of records) yield { payload };
    }
    const run = conn.bulk('postRecord', items(), { params: { tableName: 'incident', idempotencyField: 'correlation_id' }, concurrency: 8 });
    const results = await run.all();
    h.sim.configure({ faults: NO_FAULTS });
    expect(h.sim.stats().faultsInjected.resetAfterCommit ?? 0).toBeGreaterThan(0);
    expect(results.map((r) => r.index)).toEqual(records.map((_, i) => i));
    for (const [i, r] of results.entries()) {
      expect(r.ok, JSON.stringify(r.ok ? '' : r.error.message)).toBe(true);
      if (!r.ok) continue;
      const created = resultOf(r.result.payload);
      expect(created['correlation_id']).toBe(`bulk-exactly-once-${i}`);
      expect(h.sim.db.list('incident', `correlation_id=bulk-exactly-once-${i}`).map((row) => row.sys_id)).toEqual([created['sys_id']]);
    }
    expect(h.sim.db.count('incident', 'correlation_idSTARTSWITHbulk-exactly-once-')).toBe(40);
    expect(run.progress).toEqual({ started: 40, succeeded: 40, failed: 0 });
  });

  it('a bad item is its own error result (nothing sent for it), the others are created', async () => {
    h.sim.clearRequests();
    const run = h.conn.bulk(
      'postRecord',
      [{ payload: { short_description: 'ok 1', correlation_id: 'bulk-bad-1' } }, { payload: { short_description: 'no id' } }, { payload: { correlation_id: 'bulk-bad-3' } }],
      { params: { tableName: 'incident', idempotencyField: 'correlation_id' }, concurrency: 2 },
    );
    const results = await run.all();
    expect(results.map((r) => (r.ok ? 'ok' : r.error.message))[2]).toBe('ok');
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = results[1]!;
    expect(bad.ok ? undefined : bad.error).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'idempotencyField' });
    expect(h.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(() => h.conn.bulk('postRecord', [], { concurrency: 0 })).toThrow(/postRecord: bulk concurrency must be a whole number from 1 to 64 \(got 0\)/);
  });
});
