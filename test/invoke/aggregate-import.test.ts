// The Aggregate API and Import Set operations against the simulator.
import { beforeEach, describe, expect, it } from 'vitest';
import { resultOf, useSimulator, type Row } from './support.js';

const h = useSimulator();
beforeEach(() => h.sim.clearRequests());

describe('getAggregateRecord', () => {
  it('counts the records a query selects', async () => {
    const res = await h.conn.invoke('getAggregateRecord', { tableName: 'incident', sysparmCount: 'true', sysparmQuery: 'active=true' });
    expect(resultOf(res.payload)).toEqual({ stats: { count: String(h.sim.db.count('incident', 'active=true')) } });
  });

  it('counts and averages per group', async () => {
    const res = await h.conn.invoke('getAggregateRecord', { tableName: 'incident', sysparmCount: true, sysparmGroupBy: 'priority', sysparmAvgFields: 'urgency' });
    const groups = resultOf(res.payload) as Array<{ stats: { count: string; avg: Row }; groupby_fields: Array<{ field: string; value: string }> }>;
    expect(groups.length).toBeGreaterThan(1);
    let total = 0;
    for (const g of groups) {
      const priority = g.groupby_fields[0]!;
      expect(priority.field).toBe('priority');
      expect(g.stats.count).toBe(String(h.sim.db.count('incident', `priority=${priority.value}`)));
      expect(g.stats.avg['urgency']).toMatch(/^\d+\.\d{4}$/);
      total += Number(g.stats.count);
    }
    expect(total).toBe(h.sim.db.count('incident'));
  });

  it('filters groups with sysparmHaving', async () => {
    const res = await h.conn.invoke('getAggregateRecord', { tableName: 'incident', sysparmCount: true, sysparmGroupBy: 'priority', sysparmHaving: 'count^priority^>^8' });
    const groups = resultOf(res.payload) as Array<{ stats: { count: string } }>;
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(Number(g.stats.count)).toBeGreaterThan(8);
  });
});

describe('import set operations', () => {
  it('postRecordStagingTable inserts a staging row and returns its transform result', async () => {
    const res = await h.conn.invoke('postRecordStagingTable', {
      tableNameStaging: 'u_incident_import',
      fields: '{"u_short_description":"Imported \\"quoted\\" text","u_correlation_id":"EXT-h3-1"}',
    });
    expect(res.status).toBe(201);
    const body = res.payload as { staging_table: string; result: Row[] };
    expect(body.staging_table).toBe('u_incident_import');
    expect(body.result[0]).toMatchObject({ table: 'incident', status: 'inserted' });
    const target = h.sim.db.get('incident', String(body.result[0]!['sys_id']))!;
    expect(target['short_description']).toBe('Imported "quoted" text');
    expect(JSON.parse(h.apiRequests()[0]!.body)).toEqual({ u_short_description: 'Imported "quoted" text', u_correlation_id: 'EXT-h3-1' });
  });

  it('postRecordsStagingTable sends the rows under "records" to insertMultiple', async () => {
    const before = h.sim.db.count('u_incident_import');
    const res = await h.conn.invoke('postRecordsStagingTable', {
      tableNameStaging: 'u_incident_import',
      records: [{ u_short_description: 'row one' }, { u_short_description: 'row two' }],
    });
    expect(res.status).toBe(201);
    expect(res.payload).toMatchObject({ import_set_id: expect.any(String), multi_import_set_id: expect.any(String) });
    const req = h.apiRequests()[0]!;
    expect(req.path).toBe('/api/now/import/u_incident_import/insertMultiple');
    expect(JSON.parse(req.body)).toEqual({ records: [{ u_short_description: 'row one' }, { u_short_description: 'row two' }] });
    expect(h.sim.db.count('u_incident_import')).toBe(before + 2);
  });

  it('getRecordsStagingTable reads a staging row with its transform result', async () => {
    const posted = await h.conn.invoke('postRecordStagingTable', { tableNameStaging: 'u_incident_import', fields: { u_short_description: 'read me back' } });
    const targetId = String((posted.payload as { result: Row[] }).result[0]!['sys_id']);
    const row = h.sim.db.list('u_incident_import', `sys_target_sys_id=${targetId}`)[0]!;
    const res = await h.conn.invoke('getRecordsStagingTable', { tableNameStaging: 'u_incident_import', sysIdStaging: row['sys_id'] });
    expect((res.payload as { result: Row[] }).result[0]).toMatchObject({ sys_id: targetId, status: 'inserted' });
    expect(h.apiRequests().at(-1)!.path).toBe(`/api/now/import/u_incident_import/${String(row['sys_id'])}`);
  });
});
