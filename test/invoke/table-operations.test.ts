// Happy paths of the Table API operations, through the real runtime and transport against the simulator.
import { beforeEach, describe, expect, it } from 'vitest';
import { resultOf, rowsOf, useSimulator, type Row } from './support.js';

const h = useSimulator();
beforeEach(() => h.sim.clearRequests());

describe('Table API operations', () => {
  it('getRecords returns one page with the total count and the next link', async () => {
    const res = await h.conn.invoke('getRecords', { tableName: 'incident', sysparmQuery: 'active=true^priority=1', sysparmLimit: 2 });
    expect(res.status).toBe(200);
    const rows = rowsOf(res.payload);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ active: 'true', priority: '1' });
    expect(res.totalCount).toBe(h.sim.db.count('incident', 'active=true^priority=1'));
    expect(res.nextLink).toContain('sysparm_offset=2');
  });

  it('getRecordById reads the record a list returned', async () => {
    const first = rowsOf((await h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 })).payload)[0]!;
    const res = await h.conn.invoke('getRecordById', { tableName: 'incident', sysId: first['sys_id'] });
    expect(resultOf(res.payload)).toMatchObject({ sys_id: first['sys_id'], number: first['number'] });
    expect(h.apiRequests().at(-1)!.path).toBe(`/api/now/table/incident/${String(first['sys_id'])}`);
  });

  it('postRecord creates a record from the fixed fields, apiColumns and payload, keeping the exact text', async () => {
    const text = 'Disk "full" on db-01 \\ {x} </tag> & ünïcode ✓';
    const res = await h.conn.invoke('postRecord', {
      tableName: 'incident',
      shortDescription: 'overwritten by payload',
      contactType: 'email',
      category: 'hardware',
      apiColumns: '{"urgency":"3","impact":"2"}',
      payload: { short_description: text, urgency: '2' },
    });
    expect(res.status).toBe(201);
    const created = resultOf(res.payload) as Row;
    expect(created).toMatchObject({ short_description: text, urgency: '2', impact: '2', contact_type: 'email', category: 'hardware' });
    const stored = h.sim.db.get('incident', created['sys_id'] as string)!;
    expect(stored['short_description']).toBe(text);
    const sent = JSON.parse(h.apiRequests().at(-1)!.body) as Row;
    expect(sent).toEqual({ short_description: text, urgency: '2', impact: '2', contact_type: 'email', category: 'hardware' });
  });

  it('postRecord leaves unset fixed fields out of the body', async () => {
    await h.conn.invoke('postRecord', { tableName: 'incident', shortDescription: 'only this', number: '', approval: undefined });
    expect(JSON.parse(h.apiRequests().at(-1)!.body)).toEqual({ short_description: 'only this' });
  });

  it('patchRecord and its alias patchRecordById change only the given columns', async () => {
    const sysId = h.sim.db.insert('incident', { short_description: 'before', urgency: '3', category: 'network' })['sys_id']!;
    const res = await h.conn.invoke('patchRecordById', { tableName: 'incident', sysId, shortDescription: 'after', apiColumns: { urgency: '1' } });
    expect(res.status).toBe(200);
    expect(resultOf(res.payload)).toMatchObject({ short_description: 'after', urgency: '1', category: 'network' });
    const req = h.apiRequests().at(-1)!;
    expect(req.method).toBe('PATCH');
    expect(h.sim.db.get('incident', sysId)).toMatchObject({ short_description: 'after', urgency: '1', category: 'network' });
    await h.conn.invoke('patchRecord', { tableName: 'incident', sysId, category: 'software' });
    expect(h.sim.db.get('incident', sysId)!['category']).toBe('software');
  });

  it('putRecord and its alias putRecordById send PUT with the columns', async () => {
    const sysId = h.sim.db.insert('incident', { short_description: 'put me' })['sys_id']!;
    const res = await h.conn.invoke('putRecordById', { tableName: 'incident', sysId, payload: { short_description: 'replaced', urgency: '2' } });
    expect(res.status).toBe(200);
    expect(h.apiRequests().at(-1)!.method).toBe('PUT');
    expect(h.sim.db.get('incident', sysId)).toMatchObject({ short_description: 'replaced', urgency: '2' });
    await h.conn.invoke('putRecord', { tableName: 'incident', sysId, shortDescription: 'again' });
    expect(h.sim.db.get('incident', sysId)!['short_description']).toBe('again');
  });

  it('deleteRecord and its alias deleteRecordById answer 204 with no payload and remove the record', async () => {
    const a = h.sim.db.insert('incident', { short_description: 'delete a' })['sys_id']!;
    const b = h.sim.db.insert('incident', { short_description: 'delete b' })['sys_id']!;
    const res = await h.conn.invoke('deleteRecord', { tableName: 'incident', sysId: a });
    expect(res.status).toBe(204);
    expect(res.payload).toBeUndefined();
    await h.conn.invoke('deleteRecordById', { tableName: 'incident', sysId: b });
    expect(h.sim.db.get('incident', a)).toBeUndefined();
    expect(h.sim.db.get('incident', b)).toBeUndefined();
  });

  it('display values: true shows labels and display names, all gives value and display_value', async () => {
    const sysId = rowsOf((await h.conn.invoke('getRecords', { tableName: 'incident', sysparmQuery: 'priority=1', sysparmLimit: 1 })).payload)[0]!['sys_id'];
    const plain = resultOf((await h.conn.invoke('getRecordById', { tableName: 'incident', sysId, sysparmFields: 'priority,caller_id' })).payload) as Row;
    expect(plain['priority']).toBe('1');
    const shown = resultOf((await h.conn.invoke('getRecordById', { tableName: 'incident', sysId, sysparmFields: 'priority,caller_id', sysparmDisplayValue: 'true' })).payload) as Row;
    expect(shown['priority']).not.toBe('1');
    expect(typeof shown['priority']).toBe('string');
    const both = resultOf((await h.conn.invoke('getRecordById', { tableName: 'incident', sysId, sysparmFields: 'priority', sysparmDisplayValue: 'all' })).payload) as Row;
    expect(both['priority']).toMatchObject({ value: '1', display_value: shown['priority'] });
    const noLink = resultOf((await h.conn.invoke('getRecordById', { tableName: 'incident', sysId, sysparmFields: 'caller_id', sysparmExcludeReferenceLink: true })).payload) as Row;
    expect(typeof noLink['caller_id']).toBe('string');
    expect(plain['caller_id']).toMatchObject({ value: noLink['caller_id'] });
  });
});
