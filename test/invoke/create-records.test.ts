// createRecords (operations/createRecords.xml, a <bulk> operation) over real HTTP against the simulator: each mode
// (concurrent POSTs, Batch API chunks, import-set insertMultiple chunks read back from the staging rows) hands back
// one result per record in input order; under injected 503s and resets every record exists exactly once afterwards
// (rows counted in the simulator); bad input is refused before any request.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readNdjson } from '../../src/index.js';
import { useSimulator } from './support.js';

const h = useSimulator();
const NO_FAULTS = { status503: 0, resetBeforeProcessing: 0, resetAfterCommit: 0 };
afterEach(() => h.sim.configure({ faults: NO_FAULTS, nextFaults: [] }));

type Mode = 'concurrent' | 'batch' | 'importSet';
const recordsFor = (mode: Mode, tag: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    mode === 'importSet' ? { u_short_description: `${tag} ${i}`, u_correlation_id: `${tag}-${i}` } : { short_description: `${tag} ${i}`, correlation_id: `${tag}-${i}` },
  );
const paramsFor = (mode: Mode) => ({
  tableName: 'incident',
  mode,
  chunkSize: 7,
  tableNameStaging: 'u_incident_import',
  idempotencyField: mode === 'importSet' ? 'u_correlation_id' : 'correlation_id',
  sysparmFields: 'sys_id,correlation_id',
});
type Result = { sys_id?: string; error?: { code: string; message: string } };
const results = (payload: unknown) => (payload as { result: Result[] }).result;

/** Every record of `tag` is one incident, and result i names the incident created for record i. */
function expectExactlyOnce(tag: string, n: number, got: Result[]): void {
  expect(got).toHaveLength(n);
  for (const [i, r] of got.entries()) {
    expect(r.error, JSON.stringify(r.error)).toBeUndefined();
    const rows = h.sim.db.list('incident', `correlation_id=${tag}-${i}`);
    expect(rows.map((row) => row.sys_id), `${tag}-${i}`).toEqual([r.sys_id]);
  }
  expect(h.sim.db.count('incident', `correlation_idSTARTSWITH${tag}-`)).toBe(n);
}

describe('createRecords', () => {
  for (const [mode, path, requestsFor] of [
    ['concurrent', '/api/now/table/incident', (n: number) => n],
    ['batch', '/api/now/v1/batch', (n: number) => Math.ceil(n / 7)],
    ['importSet', '/api/now/import/u_incident_import/insertMultiple', (n: number) => Math.ceil(n / 7)],
  ] as const) {
    it(`mode=${mode}: one result per record in input order, each the created record's sys_id`, async () => {
      h.sim.clearRequests();
      const tag = `cr-${mode}`;
      const res = await h.conn.invoke('createRecords', { ...paramsFor(mode), records: recordsFor(mode, tag, 30) });
      expectExactlyOnce(tag, 30, results(res.payload));
      expect(res.payload).toMatchObject({ succeeded: 30, failed: 0 });
      expect(h.apiRequests().filter((r) => r.method === 'POST' && r.path === path)).toHaveLength(requestsFor(30));
    });
  }

  for (const mode of ['concurrent', 'batch', 'importSet'] as const) {
    it(`mode=${mode}: under injected 503s and resets every record is created exactly once`, async () => {
      // 40% of requests fail here, lookups included: 20 retries (the most init allows) make a chain of 21 failures,
      // and so a spurious 'outcome unknown', about 4e-9 per call instead of ~3e-4 with 8.
      const conn = h.connect({ maxRetries: 20, retryInitialDelay: 1 });
      const tag = `cr-faults-${mode}`;
      h.sim.resetStats();
      // The first requests (chunks or creates) are forced to fail after the commit, then random faults follow.
      h.sim.configure({ nextFaults: ['resetAfterCommit', 'status503', 'resetAfterCommit', 'resetBeforeProcessing'], faults: { status503: 0.15, resetBeforeProcessing: 0.1, resetAfterCommit: 0.15 } });
      const res = await conn.invoke('createRecords', { ...paramsFor(mode), records: recordsFor(mode, tag, 40), concurrency: 4 });
      h.sim.configure({ faults: NO_FAULTS });
      expect(h.sim.stats().faultsInjected.resetAfterCommit ?? 0).toBeGreaterThan(0);
      expectExactlyOnce(tag, 40, results(res.payload));
    });
  }

  it('the library takes a stream (an NDJSON file) and reports progress; a bad line is its own error, the rest go on', async () => {
    const file = join(tmpdir(), `create-records-${process.pid}.ndjson`);
    const lines = recordsFor('batch', 'cr-ndjson', 12).map((r) => JSON.stringify(r));
    lines.splice(5, 0, '"not a record"');
    writeFileSync(file, lines.join('\n') + '\n');
    const seen: number[] = [];
    const run = h.conn.bulk('createRecords', readNdjson(file), { params: paramsFor('batch'), concurrency: 2, onProgress: (p) => seen.push(p.succeeded + p.failed) });
    const all = await run.all();
    expect(all.map((r) => r.index)).toEqual([...Array(13).keys()]);
    expect(all.map((r) => r.ok)).toEqual([...Array(13).keys()].map((i) => i !== 5));
    const bad = all[5]!;
    expect(bad.ok ? undefined : bad.error.message).toMatch(/createRecords: item 6 must be a JSON object \(got string\); it was not sent/);
    expect(seen).toEqual([...Array(13).keys()].map((i) => i + 1));
    expect(run.progress).toMatchObject({ succeeded: 12, failed: 1 });
    expect(h.sim.db.count('incident', 'correlation_idSTARTSWITHcr-ndjson-')).toBe(12);
  });

  it('refuses bad input before any request, naming the record and what is wrong', async () => {
    h.sim.clearRequests();
    const good = recordsFor('concurrent', 'cr-bad', 3);
    await expect(h.conn.invoke('createRecords', { ...paramsFor('concurrent'), records: [...good, 'text'] })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'records',
      message: 'createRecords: records[3] must be a JSON object (got string); nothing was sent',
    });
    await expect(h.conn.invoke('createRecords', { ...paramsFor('batch'), records: [...good, { short_description: 'no id' }] })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: expect.stringContaining("records[3] has no value for 'correlation_id'"),
    });
    await expect(h.conn.invoke('createRecords', { tableName: 'incident', mode: 'importSet', records: good })).rejects.toMatchObject({ code: 'MISSING_PARAMETER', parameter: 'tableNameStaging' });
    await expect(h.conn.invoke('createRecords', { tableName: 'incident', mode: 'sideways', records: good })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'mode' });
    await expect(h.conn.invoke('createRecords', { tableName: 'incident' })).rejects.toMatchObject({ code: 'MISSING_PARAMETER', parameter: 'records' });
    expect(h.apiRequests()).toHaveLength(0);
  });
});
