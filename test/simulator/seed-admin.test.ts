import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call, links } from './http.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 21 });
});
afterAll(() => sim.close());

describe('seed data', () => {
  it('describes its tables in sys_db_object with the super_class chain incident -> task', async () => {
    const r = await call(sim.url, '/api/now/table/sys_db_object?sysparm_query=name=incident&sysparm_fields=name,label,super_class.name,number_ref');
    expect(r.json.result).toEqual([{ name: 'incident', label: 'Incident', 'super_class.name': 'task', number_ref: 'INC' }]);
    const names = sim.db.list('sys_db_object').map((r) => r.name);
    for (const t of ['task', 'incident', 'problem', 'change_request', 'sys_user', 'sys_user_group', 'cmdb_ci', 'u_incident_import', 'imp_computer', 'imp_user', 'imp_notification', 'imp_location', 'cmdb_ci_computer', 'change_task', 'sys_dictionary', 'sys_choice']) expect(names).toContain(t);
  });

  it('has sys_dictionary and sys_choice rows for the fields', async () => {
    const d = await call(sim.url, '/api/now/table/sys_dictionary?sysparm_query=name=incident^element=caller_id&sysparm_fields=internal_type,reference');
    expect(d.json.result).toEqual([{ internal_type: 'reference', reference: 'sys_user' }]);
    const c = await call(sim.url, '/api/now/table/sys_choice?sysparm_query=name=incident^element=state^ORDERBYsequence&sysparm_fields=value,label');
    expect(c.json.result.map((x: { label: string }) => x.label)).toEqual(['New', 'In Progress', 'On Hold', 'Resolved', 'Closed', 'Canceled']);
    // One coalesce field per seeded map (incident import, notification, computer, user), five for location.
    expect(sim.db.count('sys_transform_entry', 'coalesce=true')).toBe(4 + 5);
  });

  it('is deterministic per seed', async () => {
    const other = await startSimulator({ seed: 21 });
    const third = await startSimulator({ seed: 22 });
    try {
      const id = (s: RunningSimulator) => s.db.list('incident', 'number=INC0010001')[0].sys_id;
      expect(id(other)).toBe(id(sim));
      expect(id(third)).not.toBe(id(sim));
    } finally {
      await other.close();
      await third.close();
    }
  });

  it('incidents look real: references resolve, priority follows impact and urgency, dates in order', () => {
    const users = new Set(sim.db.list('sys_user').map((u) => u.sys_id));
    for (const inc of sim.db.list('incident')) {
      expect(users.has(inc.caller_id)).toBe(true);
      expect(Number(inc.priority)).toBe(Number(inc.impact) + Number(inc.urgency) - 1);
      expect(inc.opened_at <= inc.sys_updated_on).toBe(true);
    }
  });
});

describe('generator and keyset paging', () => {
  it('generates rows that continue the numbering and pages by sys_id keyset through all of them', async () => {
    const s = await startSimulator({ seed: 4, generate: { incident: 300 } });
    try {
      expect(s.db.count('incident')).toBe(340);
      const last = s.db.list('incident', 'ORDERBYDESCnumber')[0];
      expect(last.number).toBe('INC0010340');
      expect(Number(last.priority)).toBe(Number(last.impact) + Number(last.urgency) - 1);
      const seen: string[] = [];
      let after = '';
      for (;;) {
        const q = encodeURIComponent(after ? `sys_id>${after}^ORDERBYsys_id` : 'ORDERBYsys_id');
        const r = await call(s.url, `/api/now/table/incident?sysparm_limit=50&sysparm_fields=sys_id&sysparm_query=${q}`);
        expect(Number(r.headers.get('x-total-count'))).toBe(340 - seen.length);
        const ids = r.json.result.map((x: { sys_id: string }) => x.sys_id);
        seen.push(...ids);
        if (ids.length < 50) break;
        after = ids.at(-1);
      }
      expect(seen).toHaveLength(340);
      expect([...seen].sort()).toEqual(seen);
    } finally {
      await s.close();
    }
  });
});

describe('switches for details ServiceNow does not document', () => {
  it('linkOnSinglePage and totalCountWithNoCount', async () => {
    const one = '/api/now/table/sys_user_group?sysparm_limit=100';
    expect(links((await call(sim.url, one)).headers.get('link'))).toHaveProperty('last');
    sim.configure({ linkOnSinglePage: false, totalCountWithNoCount: true });
    try {
      expect((await call(sim.url, one)).headers.get('link')).toBeNull();
      expect((await call(sim.url, one + '&sysparm_no_count=true')).headers.get('x-total-count')).toBe(String(sim.db.count('sys_user_group')));
    } finally {
      sim.configure({ linkOnSinglePage: true, totalCountWithNoCount: false });
    }
  });

  it('caretEscape: ^^ in a value is a literal ^', async () => {
    sim.db.insert('sys_user_group', { name: 'R^D' });
    const q = (text: string) => call(sim.url, `/api/now/table/sys_user_group?sysparm_fields=name&sysparm_query=${encodeURIComponent(text)}`);
    expect((await q('name=R^^D')).json.result).toEqual([{ name: 'R^D' }]);
  });

  it('groupDisplayValueWithAll', async () => {
    const url = '/api/now/stats/incident?sysparm_count=true&sysparm_group_by=state&sysparm_display_value=all';
    expect((await call(sim.url, url)).json.result[0].groupby_fields[0]).toHaveProperty('display_value');
    sim.configure({ groupDisplayValueWithAll: false });
    try {
      expect((await call(sim.url, url)).json.result[0].groupby_fields[0]).not.toHaveProperty('display_value');
    } finally {
      sim.configure({ groupDisplayValueWithAll: true });
    }
  });
});

describe('admin endpoint /__sim', () => {
  it('reads and changes behaviour, refusing nonsense with 400', async () => {
    const cfg = await call(sim.url, '/__sim/config', { auth: null });
    expect(cfg.json.result.accessTokenLifetimeSeconds).toBe(1799);
    const set = await call(sim.url, '/__sim/config', { method: 'POST', auth: null, body: { nextFaults: ['status503'] } });
    expect(set.status).toBe(200);
    expect((await call(sim.url, '/api/now/table/incident?sysparm_limit=1')).status).toBe(503);
    expect((await call(sim.url, '/__sim/config', { method: 'POST', auth: null, body: { faults: { status503: 7 } } })).status).toBe(400);
    expect((await call(sim.url, '/__sim/config', { method: 'POST', auth: null, raw: '{' })).status).toBe(400);
    expect((await call(sim.url, '/__sim/nope', { auth: null })).status).toBe(404);
  });

  it('serves stats and the request log (admin calls excluded), resets them, and generates rows', async () => {
    await call(sim.url, '/__sim/reset-stats', { method: 'POST', auth: null });
    await call(sim.url, '/__sim/clear-requests', { method: 'POST', auth: null });
    await call(sim.url, '/api/now/table/problem?sysparm_limit=1&sysparm_fields=number');
    const stats = await call(sim.url, '/__sim/stats', { auth: null });
    expect(stats.json.result.totalRequests).toBe(1);
    expect(stats.json.result.byRoute).toEqual({ 'GET /api/now/table/{table}': 1 });
    const log = await call(sim.url, '/__sim/requests', { auth: null });
    expect(log.json.result).toHaveLength(1);
    expect(log.json.result[0]).toMatchObject({ method: 'GET', path: '/api/now/table/problem', query: { sysparm_limit: '1', sysparm_fields: 'number' }, status: 200, user: 'admin' });
    const before = sim.db.count('problem');
    const gen = await call(sim.url, '/__sim/generate?table=problem&count=25', { method: 'POST', auth: null });
    expect(gen.json.result).toMatchObject({ table: 'problem', generated: 25, rows: before + 25 });
    expect((await call(sim.url, '/__sim/generate?table=nope&count=1', { method: 'POST', auth: null })).status).toBe(400);
    expect((await call(sim.url, '/__sim/generate?table=problem&count=-1', { method: 'POST', auth: null })).status).toBe(400);
  });

  it('gives tests direct access to records', () => {
    const rec = sim.db.insert('problem', { short_description: 'direct' });
    expect(rec.number).toMatch(/^PRB\d{7}$/);
    expect(sim.db.get('problem', rec.sys_id)?.short_description).toBe('direct');
    expect(sim.db.update('problem', rec.sys_id, { short_description: 'changed' })?.sys_mod_count).toBe('1');
    expect(sim.db.count('problem', 'short_description=changed')).toBe(1);
    expect(sim.db.delete('problem', rec.sys_id)).toBe(true);
    expect(sim.db.get('problem', rec.sys_id)).toBeUndefined();
    expect(() => sim.db.count('nope')).toThrow(/Invalid table nope/);
  });
});
