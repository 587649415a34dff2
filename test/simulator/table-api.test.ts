import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { ADMIN, call, links } from './http.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 7 });
});
afterAll(() => sim.close());

describe('Table API list', () => {
  it('answers the acceptance query with exactly the asked fields, X-Total-Count and a working next link', async () => {
    const q = '/api/now/table/incident?sysparm_query=active=true^priority<=2^ORDERBYDESCsys_created_on&sysparm_limit=2&sysparm_fields=number,priority';
    const r = await call(sim.url, q);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.json.result).toHaveLength(2);
    for (const row of r.json.result) {
      expect(Object.keys(row).sort()).toEqual(['number', 'priority']);
      expect(Number(row.priority)).toBeLessThanOrEqual(2);
    }
    const total = Number(r.headers.get('x-total-count'));
    expect(total).toBe(sim.db.count('incident', 'active=true^priority<=2'));
    expect(total).toBeGreaterThan(2);
    const rel = links(r.headers.get('link'));
    expect(rel.first).toMatch(new RegExp(`^${sim.url}/api/now/table/incident\\?.*sysparm_offset=0`));
    // Recorded instances send prev on the first page too, with a negative offset.
    expect(rel.prev).toContain('sysparm_offset=-2');
    expect(rel.next).toContain('sysparm_offset=2');
    const next = await fetch(rel.next, { headers: { Authorization: ADMIN } });
    expect(next.status).toBe(200);
    const page2 = (await next.json()) as { result: { number: string }[] };
    expect(page2.result).toHaveLength(2);
    expect(page2.result[0].number).not.toBe(r.json.result[0].number);
    // Newest first.
    expect(r.json.result[0].number > r.json.result[1].number).toBe(true);
  });

  it('formats the Link header as ServiceNow does: absolute URLs, comma separated without spaces, prev and next in the middle', async () => {
    const r = await call(sim.url, '/api/now/table/incident?sysparm_limit=5&sysparm_offset=10&sysparm_fields=number');
    const link = r.headers.get('link')!;
    expect(link).not.toMatch(/, /);
    const parts = link.split(',');
    expect(parts.map((p) => /rel="(\w+)"/.exec(p)![1])).toEqual(['first', 'prev', 'next', 'last']);
    const rel = links(link);
    expect(rel.prev).toContain('sysparm_offset=5');
    expect(rel.next).toContain('sysparm_offset=15');
    const total = Number(r.headers.get('x-total-count'));
    expect(rel.last).toContain(`sysparm_offset=${Math.floor((total - 1) / 5) * 5}`);
  });

  it('follows next to the end, visiting every row once, and has no next on the last page', async () => {
    let url: string | undefined = `${sim.url}/api/now/table/incident?sysparm_limit=7&sysparm_fields=sys_id`;
    const seen = new Set<string>();
    let pages = 0;
    while (url) {
      const res = await fetch(url, { headers: { Authorization: ADMIN } });
      const body = (await res.json()) as { result: { sys_id: string }[] };
      for (const row of body.result) seen.add(row.sys_id);
      url = links(res.headers.get('link')).next;
      pages++;
    }
    expect(seen.size).toBe(sim.db.count('incident'));
    expect(pages).toBe(Math.ceil(sim.db.count('incident') / 7));
  });

  it('leaves out X-Total-Count with sysparm_no_count and Link with sysparm_suppress_pagination_header', async () => {
    const a = await call(sim.url, '/api/now/table/incident?sysparm_limit=3&sysparm_no_count=true');
    expect(a.headers.get('x-total-count')).toBeNull();
    expect(links(a.headers.get('link')).next).toBeDefined();
    expect(links(a.headers.get('link')).last).toBeUndefined();
    const b = await call(sim.url, '/api/now/table/incident?sysparm_limit=3&sysparm_suppress_pagination_header=true');
    expect(b.headers.get('link')).toBeNull();
    expect(b.headers.get('x-total-count')).not.toBeNull();
  });

  it('answers 200 with [] when nothing matches, and serves the v1 and v2 paths', async () => {
    const r = await call(sim.url, '/api/now/v2/table/incident?sysparm_query=number=NOPE');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ result: [] });
    expect(r.headers.get('x-total-count')).toBe('0');
    const v1 = await call(sim.url, '/api/now/v1/table/sys_user?sysparm_limit=1&sysparm_fields=user_name');
    expect(v1.status).toBe(200);
    expect(v1.json.result).toHaveLength(1);
  });

  it('returns values as strings, sys_ids as 32 hex, dates in ServiceNow format, numbers with prefixes', async () => {
    const r = await call(sim.url, '/api/now/table/incident?sysparm_limit=3&sysparm_exclude_reference_link=true');
    for (const row of r.json.result) {
      for (const v of Object.values(row)) expect(typeof v).toBe('string');
      expect(row.sys_id).toMatch(/^[0-9a-f]{32}$/);
      expect(row.number).toMatch(/^INC\d{7}$/);
      expect(row.sys_created_on).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(row.sys_class_name).toBe('incident');
    }
    const p = await call(sim.url, '/api/now/table/problem?sysparm_limit=1&sysparm_fields=number');
    expect(p.json.result[0].number).toMatch(/^PRB\d{7}$/);
    const c = await call(sim.url, '/api/now/table/change_request?sysparm_limit=1&sysparm_fields=number');
    expect(c.json.result[0].number).toMatch(/^CHG\d{7}$/);
  });
});

describe('display values and references', () => {
  const one = (q: string) => call(sim.url, `/api/now/table/incident?sysparm_query=number=INC0010001&sysparm_fields=caller_id,priority,state,number${q}`);

  it('returns references as {link, value} by default and just the value with exclude_reference_link', async () => {
    const r = await one('');
    const caller = r.json.result[0].caller_id;
    expect(caller.value).toMatch(/^[0-9a-f]{32}$/);
    expect(caller.link).toBe(`${sim.url}/api/now/table/sys_user/${caller.value}`);
    expect(r.json.result[0].priority).toBe('1');
    const ex = await one('&sysparm_exclude_reference_link=true');
    expect(ex.json.result[0].caller_id).toBe(caller.value);
  });

  it('shows display values with true (choice labels, referenced display field) and both with all', async () => {
    const t = await one('&sysparm_display_value=true');
    const row = t.json.result[0];
    expect(row.priority).toBe('1 - Critical');
    expect(row.state).toBe('New');
    expect(row.caller_id.display_value).toBe('Abel Tuter');
    expect(row.caller_id.link).toMatch(/\/api\/now\/table\/sys_user\/[0-9a-f]{32}$/);
    const a = await one('&sysparm_display_value=all');
    const all = a.json.result[0];
    expect(all.priority).toEqual({ display_value: '1 - Critical', value: '1' });
    expect(all.number).toEqual({ display_value: 'INC0010001', value: 'INC0010001' });
    expect(all.caller_id.display_value).toBe('Abel Tuter');
    expect(all.caller_id.value).toMatch(/^[0-9a-f]{32}$/);
    expect(all.caller_id.link).toContain(all.caller_id.value);
    const ex = await one('&sysparm_display_value=all&sysparm_exclude_reference_link=true');
    expect(ex.json.result[0].caller_id.link).toBeUndefined();
  });

  it('accepts dot-walked fields in sysparm_fields', async () => {
    const r = await call(sim.url, '/api/now/table/incident?sysparm_query=number=INC0010001&sysparm_fields=number,caller_id.name,caller_id.email');
    expect(r.json.result[0]).toEqual({ number: 'INC0010001', 'caller_id.name': 'Abel Tuter', 'caller_id.email': 'abel.tuter@example.com' });
  });
});

describe('Table API single records', () => {
  it('creates with 201, Location, system fields and a number; reads, patches, puts and deletes', async () => {
    const created = await call(sim.url, '/api/now/table/incident', { method: 'POST', body: { short_description: 'Printer on fire', impact: 1, active: true, urgency: '1', bogus_field: 'x' } });
    expect(created.status).toBe(201);
    const rec = created.json.result;
    expect(created.headers.get('location')).toBe(`${sim.url}/api/now/table/incident/${rec.sys_id}`);
    expect(rec.number).toMatch(/^INC\d{7}$/);
    expect(rec.priority).toBe('1');
    expect(rec.active).toBe('true');
    expect(rec.sys_created_by).toBe('admin');
    expect(rec.sys_mod_count).toBe('0');
    expect(rec.sys_created_on).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(rec.bogus_field).toBeUndefined();

    const got = await call(sim.url, `/api/now/table/incident/${rec.sys_id}?sysparm_fields=short_description`);
    expect(got.json).toEqual({ result: { short_description: 'Printer on fire' } });

    const patched = await call(sim.url, `/api/now/table/incident/${rec.sys_id}`, { method: 'PATCH', body: { state: '2' } });
    expect(patched.status).toBe(200);
    expect(patched.json.result.state).toBe('2');
    expect(patched.json.result.short_description).toBe('Printer on fire');
    expect(patched.json.result.sys_mod_count).toBe('1');

    const put = await call(sim.url, `/api/now/table/incident/${rec.sys_id}`, { method: 'PUT', body: { short_description: 'Printer fixed' } });
    expect(put.status).toBe(200);
    expect(put.json.result.short_description).toBe('Printer fixed');
    expect(put.json.result.sys_mod_count).toBe('2');

    const del = await call(sim.url, `/api/now/table/incident/${rec.sys_id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const gone = await call(sim.url, `/api/now/table/incident/${rec.sys_id}`);
    expect(gone.status).toBe(404);
    const again = await call(sim.url, `/api/now/table/incident/${rec.sys_id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
  });

  it('resolves display values on input with sysparm_input_display_value=true', async () => {
    const r = await call(sim.url, '/api/now/table/incident?sysparm_input_display_value=true&sysparm_display_value=all', {
      method: 'POST',
      body: { short_description: 'Display input', caller_id: 'Beth Anglin', impact: '1 - High', urgency: '2 - Medium', category: 'Network' },
    });
    expect(r.status).toBe(201);
    const rec = r.json.result;
    expect(rec.priority).toEqual({ display_value: '2 - High', value: '2' });
    expect(rec.category.value).toBe('network');
    expect(rec.caller_id.display_value).toBe('Beth Anglin');
    expect(rec.caller_id.value).toBe(sim.db.list('sys_user', 'user_name=beth.anglin')[0].sys_id);
  });
});

describe('Table API errors (the server keeps running)', () => {
  it('unknown table -> 400 Invalid table', async () => {
    const r = await call(sim.url, '/api/now/table/no_such_table');
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { message: 'Invalid table no_such_table', detail: 'Table no_such_table does not exist' }, status: 'failure' });
  });

  it('malformed or unknown sys_id -> 404 No Record found', async () => {
    for (const id of ['not-a-sys-id', 'ABCDEF', '0123456789abcdef0123456789abcdef']) {
      const r = await call(sim.url, `/api/now/table/incident/${id}`);
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' });
    }
  });

  it('malformed JSON body -> 400 Exception while reading request', async () => {
    const r = await call(sim.url, '/api/now/table/incident', { method: 'POST', raw: '{"short_description": ', headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe('Exception while reading request');
    expect(r.json.status).toBe('failure');
    const arr = await call(sim.url, '/api/now/table/incident', { method: 'POST', raw: '[1,2]' });
    expect(arr.status).toBe(400);
  });

  it('bad encoded query -> 400 error envelope', async () => {
    const r = await call(sim.url, '/api/now/table/incident?sysparm_query=priorityBETWEEN1');
    expect(r.status).toBe(400);
    expect(r.json.status).toBe('failure');
    expect(typeof r.json.error.message).toBe('string');
    const ok = await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(ok.status).toBe(200);
  });

  it('unknown /api path -> 400, wrong method -> 405', async () => {
    const r = await call(sim.url, '/api/now/nothing/here');
    expect(r.status).toBe(400);
    const m = await call(sim.url, '/api/now/table/incident', { method: 'DELETE' });
    expect(m.status).toBe(405);
  });
});
