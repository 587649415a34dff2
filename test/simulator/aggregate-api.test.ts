import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { ITIL, call } from './http.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 9 });
});
afterAll(() => sim.close());

describe('Aggregate API /api/now/stats/{table}', () => {
  it('counts with a query, without paging headers', async () => {
    const r = await call(sim.url, '/api/now/stats/incident?sysparm_count=true&sysparm_query=active=true');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ result: { stats: { count: String(sim.db.count('incident', 'active=true')) } } });
    expect(r.headers.get('link')).toBeNull();
    expect(r.headers.get('x-total-count')).toBeNull();
  });

  it('groups by a field with display values and min/max/avg', async () => {
    const r = await call(sim.url, '/api/now/stats/incident?sysparm_count=true&sysparm_group_by=priority&sysparm_avg_fields=urgency&sysparm_display_value=all');
    expect(r.status).toBe(200);
    const groups = r.json.result as { stats: { count: string; avg: { urgency: string } }; groupby_fields: { field: string; value: string; display_value: string }[] }[];
    expect(groups.length).toBeGreaterThan(1);
    let sum = 0;
    for (const g of groups) {
      expect(g.groupby_fields[0].field).toBe('priority');
      sum += Number(g.stats.count);
      expect(g.stats.count).toBe(String(sim.db.count('incident', `priority=${g.groupby_fields[0].value}`)));
      expect(g.stats.avg.urgency).toMatch(/^\d+\.\d{4}$/);
    }
    expect(groups.find((g) => g.groupby_fields[0].value === '1')!.groupby_fields[0].display_value).toBe('1 - Critical');
    expect(sum).toBe(sim.db.count('incident'));
  });

  it('refuses bad parameters, unknown tables and tables the ACL hides entirely', async () => {
    expect((await call(sim.url, '/api/now/stats/incident?sysparm_avg_fields=short_description')).status).toBe(400);
    expect((await call(sim.url, '/api/now/stats/nope?sysparm_count=true')).status).toBe(400);
    expect((await call(sim.url, '/api/now/stats/sys_dictionary?sysparm_count=true', { auth: ITIL })).status).toBe(403);
    sim.configure({ aclHideRate: 1 });
    try {
      expect((await call(sim.url, '/api/now/stats/incident?sysparm_count=true', { auth: ITIL })).status).toBe(403);
    } finally {
      sim.configure({ aclHideRate: 0.25 });
    }
  });
});
