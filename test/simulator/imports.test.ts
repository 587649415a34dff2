import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call } from './http.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5 });
});
afterAll(() => sim.close());

const post = (body: unknown) => call(sim.url, '/api/now/import/u_incident_import', { method: 'POST', body });

describe('Import Set API: one row', () => {
  it('inserts through the transform map, then updates, ignores and skips on the coalesce field', async () => {
    const inserted = await post({ u_correlation_id: 'IMP-1', u_short_description: 'Imported outage', u_impact: '1 - High', u_urgency: '2', u_caller: 'david.loo', u_category: 'Network' });
    expect(inserted.status).toBe(201);
    expect(inserted.json.import_set).toMatch(/^ISET\d{7}$/);
    expect(inserted.json.staging_table).toBe('u_incident_import');
    const r = inserted.json.result[0];
    expect(r).toMatchObject({ transform_map: 'Incident import', table: 'incident', display_name: 'number', status: 'inserted' });
    expect(r.display_value).toMatch(/^INC\d{7}$/);
    expect(r.record_link).toBe(`${sim.url}/api/now/table/incident/${r.sys_id}`);
    const target = sim.db.get('incident', r.sys_id)!;
    expect(target).toMatchObject({ correlation_id: 'IMP-1', short_description: 'Imported outage', impact: '1', urgency: '2', category: 'network' });
    expect(target.caller_id).toBe(sim.db.list('sys_user', 'user_name=david.loo')[0].sys_id);

    const updated = await post({ u_correlation_id: 'IMP-1', u_short_description: 'Imported outage (worse)' });
    expect(updated.json.result[0]).toMatchObject({ status: 'updated', sys_id: r.sys_id });
    expect(sim.db.get('incident', r.sys_id)!.short_description).toBe('Imported outage (worse)');

    const ignored = await post({ u_correlation_id: 'IMP-1', u_short_description: 'Imported outage (worse)' });
    expect(ignored.json.result[0]).toMatchObject({ status: 'ignored', sys_id: r.sys_id, status_message: 'No field values changed' });

    sim.db.update('incident', r.sys_id, { active: 'false', state: '7' });
    const skipped = await post({ u_correlation_id: 'IMP-1', u_short_description: 'Reopen?' });
    expect(skipped.json.result[0].status).toBe('skipped');
    expect(sim.db.get('incident', r.sys_id)!.short_description).toBe('Imported outage (worse)');
  });

  it('reports error for a row without the mandatory short description, and for an unknown caller', async () => {
    const before = sim.db.count('incident');
    const bad = await post({ u_correlation_id: 'IMP-2' });
    expect(bad.status).toBe(201);
    const r = bad.json.result[0];
    expect(r.status).toBe('error');
    expect(r.error_message).toMatch(/short_description/);
    expect(r.sys_id).toBeUndefined();
    const caller = await post({ u_correlation_id: 'IMP-3', u_short_description: 'x', u_caller: 'ghost' });
    expect(caller.json.result[0].status).toBe('error');
    expect(sim.db.count('incident')).toBe(before);
  });

  it('keeps the staging row with its state, readable through the Table API and GET import/{sys_id}', async () => {
    const res = await post({ u_correlation_id: 'IMP-4', u_short_description: 'Staged' });
    const rows = sim.db.list('u_incident_import', 'u_correlation_id=IMP-4');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sys_import_state: 'inserted', sys_target_table: 'incident', sys_target_sys_id: res.json.result[0].sys_id });
    const got = await call(sim.url, `/api/now/import/u_incident_import/${rows[0].sys_id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ import_set: res.json.import_set, staging_table: 'u_incident_import', result: res.json.result });
    const viaTable = await call(sim.url, `/api/now/table/u_incident_import/${rows[0].sys_id}?sysparm_fields=sys_import_state`);
    expect(viaTable.json.result.sys_import_state).toBe('inserted');
  });

  it('rejects unknown staging tables, malformed bodies and unknown rows', async () => {
    expect((await call(sim.url, '/api/now/import/incident', { method: 'POST', body: {} })).status).toBe(400);
    expect((await call(sim.url, '/api/now/import/nope', { method: 'POST', body: {} })).json.error.message).toBe('Invalid table nope');
    expect((await call(sim.url, '/api/now/import/u_incident_import', { method: 'POST', raw: '{oops' })).status).toBe(400);
    expect((await call(sim.url, '/api/now/import/u_incident_import/0123456789abcdef0123456789abcdef')).status).toBe(404);
  });
});

describe('Import Set API: insertMultiple', () => {
  it('answers at once with the set ids (asynchronous) and transforms the rows right after', async () => {
    const res = await call(sim.url, '/api/now/import/u_incident_import/insertMultiple', {
      method: 'POST',
      body: { records: [{ u_correlation_id: 'MUL-1', u_short_description: 'first' }, { u_correlation_id: 'MUL-2', u_short_description: 'second' }, { u_correlation_id: 'MUL-3' }] },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(['import_set_id', 'multi_import_set_id']);
    expect(res.json.import_set_id).toMatch(/^[0-9a-f]{32}$/);
    await new Promise((r) => setImmediate(r));
    const rows = sim.db.list('u_incident_import', `sys_import_set=${res.json.import_set_id}^ORDERBYsys_import_row`);
    expect(rows.map((r) => r.sys_import_state)).toEqual(['inserted', 'inserted', 'error']);
    const one = await call(sim.url, `/api/now/import/u_incident_import/${rows[0].sys_id}`);
    expect(one.json.result[0].status).toBe('inserted');
    expect(sim.db.count('incident', 'correlation_idSTARTSWITHMUL-')).toBe(2);
  });

  it('can run synchronously and then returns the per-row results', async () => {
    sim.configure({ importMultipleSynchronous: true });
    try {
      const res = await call(sim.url, '/api/now/import/u_incident_import/insertMultiple', { method: 'POST', body: { records: [{ u_correlation_id: 'MUL-1', u_short_description: 'first' }] } });
      expect(res.json.result[0].status).toBe('ignored');
    } finally {
      sim.configure({ importMultipleSynchronous: false });
    }
    expect((await call(sim.url, '/api/now/import/u_incident_import/insertMultiple', { method: 'POST', body: { rows: [] } })).status).toBe(400);
  });

  it('coalesces on the values records have now: rows of the same request, a coalesce field changed or a record deleted through the Table API, the oldest of two matches', async () => {
    sim.configure({ importMultipleSynchronous: true });
    try {
      const load = async (...records: Array<Record<string, string>>) =>
        (await call(sim.url, '/api/now/import/u_incident_import/insertMultiple', { method: 'POST', body: { records } })).json.result as Array<{ status: string; sys_id: string }>;
      const [first, second] = await load({ u_correlation_id: 'IDX-1', u_short_description: 'a' }, { u_correlation_id: 'IDX-1', u_short_description: 'b' });
      expect([first!.status, second!.status]).toEqual(['inserted', 'updated']);
      expect(second!.sys_id).toBe(first!.sys_id);

      expect((await call(sim.url, `/api/now/table/incident/${first!.sys_id}`, { method: 'PATCH', body: { correlation_id: 'IDX-2' } })).status).toBe(200);
      const [fresh, moved] = await load({ u_correlation_id: 'IDX-1', u_short_description: 'c' }, { u_correlation_id: 'IDX-2', u_short_description: 'd' });
      expect(fresh!.status).toBe('inserted');
      expect(fresh!.sys_id).not.toBe(first!.sys_id);
      expect(moved).toMatchObject({ status: 'updated', sys_id: first!.sys_id });

      expect((await call(sim.url, `/api/now/table/incident/${first!.sys_id}`, { method: 'DELETE' })).status).toBe(204);
      const [again] = await load({ u_correlation_id: 'IDX-2', u_short_description: 'e' });
      expect(again!.status).toBe('inserted');
      expect(again!.sys_id).not.toBe(first!.sys_id);

      const create = async () => (await call(sim.url, '/api/now/table/incident', { method: 'POST', body: { correlation_id: 'IDX-3', short_description: 'twin' } })).json.result.sys_id as string;
      const older = await create();
      await create();
      const [matched] = await load({ u_correlation_id: 'IDX-3', u_short_description: 'f' });
      expect(matched).toMatchObject({ status: 'updated', sys_id: older });
    } finally {
      sim.configure({ importMultipleSynchronous: false });
    }
  });
});
