// The simulator keeps each record's serialised JSON for list pages and single-record reads (src/simulator/api/
// record-cache.ts). A cached record must never be served stale: an update or delete over HTTP shows in the next
// page, and outputs that depend on other rows or on the request (fields, display values, API version) are right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call } from './http.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 11, generate: { incident: 300 } });
});
afterAll(() => sim.close());

const PAGE = '/api/now/table/incident?sysparm_query=ORDERBYsys_id&sysparm_limit=400';

async function page(path = PAGE): Promise<Array<Record<string, any>>> {
  const r = await call(sim.url, path);
  expect(r.status).toBe(200);
  return r.json.result as Array<Record<string, any>>;
}

describe('serialised-record cache', () => {
  it('serves a PATCHed record with its new values from the next page read and the single-record GET', async () => {
    const before = await page();
    const target = before[17]!;
    // Read twice: the second read comes from the cache, and must equal the first.
    expect(await page()).toEqual(before);
    const patched = await call(sim.url, `/api/now/table/incident/${target.sys_id}`, { method: 'PATCH', body: { short_description: 'changed after caching', impact: '1', urgency: '1' } });
    expect(patched.status).toBe(200);
    const after = (await page()).find((r) => r.sys_id === target.sys_id)!;
    expect(after.short_description).toBe('changed after caching');
    expect(after.priority).toBe('1');
    expect(after.sys_mod_count).toBe(String(Number(target.sys_mod_count) + 1));
    const one = await call(sim.url, `/api/now/table/incident/${target.sys_id}`);
    expect(one.json.result.short_description).toBe('changed after caching');
    // The neighbours are unchanged.
    expect((await page()).filter((r) => r.sys_id !== target.sys_id)).toEqual(before.filter((r) => r.sys_id !== target.sys_id));
  });

  it('leaves a deleted record out of the next page', async () => {
    const before = await page();
    const gone = before[3]!.sys_id as string;
    expect((await call(sim.url, `/api/now/table/incident/${gone}`, { method: 'DELETE' })).status).toBe(204);
    const after = await page();
    expect(after.map((r) => r.sys_id)).not.toContain(gone);
    expect(after).toHaveLength(before.length - 1);
  });

  it('answers other field lists, display values and API versions right after full records were cached', async () => {
    const full = await page();
    const fields = await page(`${PAGE}&sysparm_fields=number,caller_id`);
    expect(Object.keys(fields[0]!).sort()).toEqual(['caller_id', 'number']);
    expect(fields[0]!.number).toBe(full[0]!.number);
    const v2 = await page(PAGE.replace('/api/now/', '/api/now/v2/'));
    const withCaller = v2.find((r) => typeof r.caller_id === 'object')!;
    expect(withCaller.caller_id.link).toContain('/api/now/v2/table/sys_user/');
    // Display values name another row (the caller): they follow a change to that row.
    const caller = withCaller.caller_id.value as string;
    expect((await call(sim.url, `/api/now/table/sys_user/${caller}`, { method: 'PATCH', body: { first_name: 'Renamed', last_name: 'Caller' } })).status).toBe(200);
    const shown = (await page(`${PAGE}&sysparm_display_value=true`)).find((r) => r.sys_id === withCaller.sys_id)!;
    expect(shown.caller_id.display_value).toBe('Renamed Caller');
    // And full records again (the cache started over for this shape) are still the current rows.
    expect((await page()).map((r) => r.sys_id)).toEqual(full.map((r) => r.sys_id));
  });

  it('sends a page made of cached records filled in another order byte for byte as compact JSON', async () => {
    const other = await startSimulator({ seed: 12, generate: { incident: 300 } });
    try {
      const list = async (query: string) => (await call(other.url, `/api/now/table/incident?sysparm_query=${query}`)).text;
      const total = Number((await call(other.url, '/api/now/table/incident?sysparm_limit=1')).headers.get('x-total-count'));
      expect(total).toBeGreaterThanOrEqual(300);
      // Cache records 100-199 in order, then the last 50 in reverse; the full read then mixes runs of neighbours in
      // the cache, records cached in reverse (each its own run) and records serialised by this very read.
      const middle = JSON.parse(await list('ORDERBYsys_id&sysparm_limit=100&sysparm_offset=100')).result;
      const last = JSON.parse(await list('ORDERBYDESCsys_id&sysparm_limit=50')).result;
      const text = await list(`ORDERBYsys_id&sysparm_limit=${total}`);
      const all = JSON.parse(text).result as Array<Record<string, unknown>>;
      expect(text).toBe(`{"result":[${all.map((r) => JSON.stringify(r)).join(',')}]}`);
      expect(all.slice(100, 200)).toEqual(middle);
      expect(all.slice(-50)).toEqual(last.reverse());
      expect(new Set(all.map((r) => r.sys_id)).size).toBe(total);
      // The same read again (every record cached) is the same bytes.
      expect(await list(`ORDERBYsys_id&sysparm_limit=${total}`)).toBe(text);
    } finally {
      await other.close();
    }
  });
});
