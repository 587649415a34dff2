// Behaviours where the simulator used to differ from a real instance (issue: "indistinguishable from a real
// instance"). Each test fails on the simulator as it was: sources are in docs/simulator.md.
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { ADMIN, call, links } from './http.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 11 });
});
afterAll(() => sim.close());

/** A real 2x1 RGB PNG: one red and one blue pixel (average #800080). */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const pixels = deflateSync(Buffer.from([0, 255, 0, 0, 0, 0, 255]));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

async function upload(tableSysId: string, fileName: string, body: Buffer, type: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}/api/now/attachment/file?table_name=incident&table_sys_id=${tableSysId}&file_name=${fileName}`, {
    method: 'POST',
    headers: { Authorization: ADMIN, 'Content-Type': type, Accept: 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: (await res.json()) as { result: Record<string, string> } };
}

describe('name-value filters beside sysparm_query', () => {
  it('filters the Table API: the sys_user?user_name= login lookup finds exactly one user', async () => {
    const r = await call(sim.url, '/api/now/v2/table/sys_user?user_name=admin');
    expect(r.json.result).toHaveLength(1);
    expect(r.json.result[0].user_name).toBe('admin');
    expect(r.headers.get('x-total-count')).toBe('1');
  });

  it('ANDs them with sysparm_query, every ^NQ group included, and repeats them in the Link URLs', async () => {
    const q = '/api/now/table/incident?sysparm_query=active=true^NQstate=7&priority=1&sysparm_fields=priority,active,state&sysparm_limit=2';
    const r = await call(sim.url, q);
    const expected = sim.db.count('incident', 'active=true^priority=1^NQstate=7^priority=1');
    expect(Number(r.headers.get('x-total-count'))).toBe(expected);
    expect(expected).toBeLessThan(sim.db.count('incident', 'active=true^NQstate=7'));
    for (const row of r.json.result) expect(row.priority).toBe('1');
    expect(links(r.headers.get('link')).next).toContain('priority=1');
  });

  it('resolves a reference given by display value and ignores parameters that name no field', async () => {
    const group = sim.db.list('sys_user_group', 'name=Network')[0];
    const byName = await call(sim.url, '/api/now/table/incident?assignment_group=Network&sysparm_fields=assignment_group&sysparm_exclude_reference_link=true');
    expect(byName.json.result.length).toBe(sim.db.count('incident', `assignment_group=${group.sys_id}`));
    expect(byName.json.result.every((r: { assignment_group: string }) => r.assignment_group === group.sys_id)).toBe(true);
    // Choice labels and user names too, as the Aggregate API docs show (&state=closed, &assigned_to=john.smith).
    const closed = await call(sim.url, '/api/now/stats/incident?state=closed&sysparm_count=true');
    expect(closed.json.result.stats.count).toBe(String(sim.db.count('incident', 'state=7')));
    const beth = sim.db.list('sys_user', 'user_name=beth.anglin')[0];
    const assigned = await call(sim.url, '/api/now/stats/incident?assigned_to=beth.anglin&sysparm_count=true');
    expect(assigned.json.result.stats.count).toBe(String(sim.db.count('incident', `assigned_to=${beth.sys_id}`)));
    expect(Number(assigned.json.result.stats.count)).toBeGreaterThan(0);
    const ignored = await call(sim.url, '/api/now/table/incident?no_such_field=1&sysparm_limit=1');
    expect(ignored.headers.get('x-total-count')).toBe(String(sim.db.count('incident')));
  });

  it('filters the Aggregate API', async () => {
    const r = await call(sim.url, '/api/now/stats/incident?priority=1&sysparm_count=true');
    expect(r.json.result.stats.count).toBe(String(sim.db.count('incident', 'priority=1')));
    expect(Number(r.json.result.stats.count)).toBeLessThan(sim.db.count('incident'));
  });

  it('filters the Attachment API metadata list by table_sys_id', async () => {
    const [a, b] = sim.db.list('incident').slice(0, 2);
    await upload(a.sys_id, 'a.txt', Buffer.from('first'), 'text/plain');
    await upload(b.sys_id, 'b.txt', Buffer.from('second'), 'text/plain');
    const r = await call(sim.url, `/api/now/attachment?table_sys_id=${a.sys_id}`);
    expect(r.json.result.map((m: { file_name: string }) => m.file_name)).toEqual(['a.txt']);
    const q = await call(sim.url, `/api/now/attachment?sysparm_query=file_nameSTARTSWITHb`);
    expect(q.json.result.map((m: { table_sys_id: string }) => m.table_sys_id)).toEqual([b.sys_id]);
  });
});

describe('sysparm_display_value=all', () => {
  it('wraps every field, sys_id and the sys_ dates included, as {display_value, value} (plus link for references)', async () => {
    const r = await call(sim.url, '/api/now/table/incident?sysparm_display_value=all&sysparm_limit=1&sysparm_query=caller_idISNOTEMPTY');
    const row = r.json.result[0];
    for (const field of ['sys_id', 'sys_created_on', 'sys_updated_on', 'number', 'priority']) {
      expect(row[field]).toEqual({ display_value: expect.any(String), value: expect.any(String) });
    }
    expect(row.sys_id.display_value).toBe(row.sys_id.value);
    expect(row.caller_id).toEqual({ display_value: expect.any(String), value: expect.stringMatching(/^[0-9a-f]{32}$/), link: expect.stringContaining('/api/now/table/sys_user/') });
  });
});

describe('links use the public scheme and host', () => {
  const proxied = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'dev12345.service-now.com' };
  const base = 'https://dev12345.service-now.com';

  it('in Link, Location and reference links behind a proxy; reference links keep the request\'s API version', async () => {
    const list = await call(sim.url, '/api/now/v2/table/incident?sysparm_limit=1&sysparm_query=caller_idISNOTEMPTY', { headers: proxied });
    for (const url of Object.values(links(list.headers.get('link')))) expect(url.startsWith(`${base}/api/now/v2/table/incident?`)).toBe(true);
    expect(list.json.result[0].caller_id.link).toMatch(new RegExp(`^${base}/api/now/v2/table/sys_user/[0-9a-f]{32}$`));
    const created = await call(sim.url, '/api/now/table/incident', { method: 'POST', body: { short_description: 'behind a proxy' }, headers: proxied });
    expect(created.headers.get('location')).toBe(`${base}/api/now/table/incident/${created.json.result.sys_id}`);
    expect(created.json.result.opened_by.link).toMatch(new RegExp(`^${base}/api/now/table/sys_user/`));
  });

  it('in attachment download_link and import record_link', async () => {
    const incident = sim.db.list('incident')[3];
    const up = await upload(incident.sys_id, 'p.txt', Buffer.from('x'), 'text/plain', proxied);
    expect(up.json.result.download_link).toBe(`${base}/api/now/attachment/${up.json.result.sys_id}/file`);
    const imported = await call(sim.url, '/api/now/import/u_incident_import', { method: 'POST', body: { u_short_description: 'via proxy', u_correlation_id: 'PX-1' }, headers: proxied });
    expect(imported.json.result[0].record_link).toMatch(new RegExp(`^${base}/api/now/table/incident/`));
  });
});

describe('errors and headers as recorded from instances', () => {
  it('an invalid table says why in detail', async () => {
    const r = await call(sim.url, '/api/now/table/no_such_table');
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { message: 'Invalid table no_such_table', detail: 'Table no_such_table does not exist' }, status: 'failure' });
  });

  it('the first page\'s Link header has rel="prev" with a negative offset', async () => {
    const r = await call(sim.url, '/api/now/table/incident?sysparm_limit=3');
    const link = r.headers.get('link')!;
    expect(link.split(',').map((p) => /rel="(\w+)"/.exec(p)![1])).toEqual(['first', 'prev', 'next', 'last']);
    expect(links(link).prev).toContain('sysparm_offset=-3');
  });
});

describe('attachment metadata', () => {
  it('has the fields real instances send: image size and average colour, sys_tags, chunk_size_bytes, compression', async () => {
    const incident = sim.db.list('incident')[5];
    const png = tinyPng();
    const up = await upload(incident.sys_id, 'pixels.png', png, 'image/png');
    expect(up.status).toBe(201);
    const meta = (await call(sim.url, `/api/now/attachment/${up.json.result.sys_id}`)).json.result;
    expect(meta).toMatchObject({ image_width: '2', image_height: '1', average_image_color: '#800080', sys_tags: '', chunk_size_bytes: '700000', compressed: 'true', size_bytes: String(png.length), state: 'available' });
    expect(meta.hash).toMatch(/^[0-9a-f]{64}$/);
    const text = await upload(incident.sys_id, 'notes.txt', Buffer.from('plain text'), 'text/plain');
    expect(text.json.result).toMatchObject({ image_width: '', image_height: '', average_image_color: '' });
    const file = await fetch(`${sim.url}/api/now/attachment/${up.json.result.sys_id}/file`, { headers: { Authorization: ADMIN } });
    expect(file.headers.get('content-disposition')).toBe('attachment;filename=pixels.png');
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
  });
});

describe('Aggregate API', () => {
  it('averages a boolean field as 0/1 (the WSO2 docs\' aggregate sample), as the database does', async () => {
    const r = await call(sim.url, '/api/now/stats/incident?sysparm_avg_fields=active&sysparm_sum_fields=active&sysparm_count=true');
    expect(r.status).toBe(200);
    const active = sim.db.count('incident', 'active=true');
    const all = sim.db.count('incident');
    expect(r.json.result.stats.avg.active).toBe((active / all).toFixed(4));
    expect(r.json.result.stats.sum.active).toBe(String(active));
  });
});

describe('records carry the fields and defaults of a real instance', () => {
  it('a new incident gets dictionary defaults, opened_by as a reference to the caller, a number and ~90 fields', async () => {
    const r = await call(sim.url, '/api/now/table/incident', { method: 'POST', body: { short_description: 'Defaults please' } });
    expect(r.status).toBe(201);
    const rec = r.json.result;
    const admin = sim.db.list('sys_user', 'user_name=admin')[0];
    expect(rec).toMatchObject({ state: '1', incident_state: '1', impact: '3', urgency: '3', priority: '5', approval: 'not requested', active: 'true', made_sla: 'true', upon_reject: 'cancel', upon_approval: 'proceed', escalation: '0', notify: '1', severity: '3', category: 'inquiry', sys_domain_path: '/' });
    expect(rec.opened_by).toEqual({ link: `${sim.url}/api/now/table/sys_user/${admin.sys_id}`, value: admin.sys_id });
    expect(rec.sys_domain).toEqual({ link: `${sim.url}/api/now/table/sys_user_group/global`, value: 'global' });
    const shown = await call(sim.url, `/api/now/table/incident/${rec.sys_id}?sysparm_display_value=true&sysparm_fields=sys_domain,opened_by`);
    expect(shown.json.result).toEqual({ sys_domain: { display_value: 'global', link: expect.stringMatching(/\/sys_user_group\/global$/) }, opened_by: { display_value: 'System Administrator', link: expect.any(String) } });
    expect(rec.opened_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(rec.number).toMatch(/^INC\d{7}$/);
    expect(rec.task_effective_number).toBe(rec.number);
    expect(Object.keys(rec).length).toBeGreaterThanOrEqual(85);
    for (const field of ['caller_id', 'child_incidents', 'hold_reason', 'reopen_count', 'business_service', 'watch_list', 'work_notes_list', 'close_code', 'resolved_by', 'parent_incident']) expect(rec).toHaveProperty(field);
  });

  it('derives priority from impact x urgency (Priority Lookup Rules) on create and update', async () => {
    const matrix: [string, string, string][] = [
      ['1', '1', '1'],
      ['1', '2', '2'],
      ['2', '1', '2'],
      ['2', '2', '3'],
      ['1', '3', '3'],
      ['3', '2', '4'],
      ['3', '3', '5'],
    ];
    for (const [impact, urgency, priority] of matrix) {
      const r = await call(sim.url, '/api/now/table/incident?sysparm_fields=priority,sys_id', { method: 'POST', body: { short_description: 'matrix', impact, urgency } });
      expect(r.json.result.priority).toBe(priority);
    }
    const created = await call(sim.url, '/api/now/table/incident', { method: 'POST', body: { short_description: 'escalate me', priority: '1' } });
    // A priority sent without impact and urgency is recomputed from their defaults, as on an instance.
    expect(created.json.result.priority).toBe('5');
    const raised = await call(sim.url, `/api/now/table/incident/${created.json.result.sys_id}`, { method: 'PATCH', body: { impact: '1', urgency: '1' } });
    expect(raised.json.result.priority).toBe('1');
    const problem = await call(sim.url, '/api/now/table/problem', { method: 'POST', body: { short_description: 'p', impact: '2', urgency: '1' } });
    expect(problem.json.result).toMatchObject({ priority: '2', state: '101', problem_state: '101', known_error: 'false' });
    expect(problem.json.result.number).toMatch(/^PRB\d{7}$/);
  });

  it('problem, change_request, change_task, sys_user and cmdb_ci_computer have their prefixes, defaults and calculated fields', async () => {
    const change = (await call(sim.url, '/api/now/table/change_request', { method: 'POST', body: { short_description: 'Reboot server' } })).json.result;
    expect(change).toMatchObject({ type: 'normal', state: '-5', risk: '3', phase: 'requested', conflict_status: 'Not Run', approval: 'not requested' });
    expect(change.number).toMatch(/^CHG\d{7}$/);
    const ctask = (await call(sim.url, '/api/now/table/change_task', { method: 'POST', body: { short_description: 'Step 1', change_request: change.sys_id } })).json.result;
    expect(ctask.number).toMatch(/^CTASK\d{7}$/);
    const user = (await call(sim.url, '/api/now/table/sys_user', { method: 'POST', body: { user_name: 'grace.hopper', first_name: 'Grace', last_name: 'Hopper' } })).json.result;
    expect(user).toMatchObject({ name: 'Grace Hopper', active: 'true', locked_out: 'false', notification: '2', vip: 'false' });
    const pc = (await call(sim.url, '/api/now/table/cmdb_ci_computer', { method: 'POST', body: { name: 'lab-01', ram: '8192' } })).json.result;
    expect(pc).toMatchObject({ name: 'lab-01', ram: '8192', operational_status: '1', install_status: '1', hardware_status: 'installed', sys_class_name: 'cmdb_ci_computer' });
    for (const field of ['cpu_count', 'cpu_speed', 'os', 'disk_space', 'serial_number', 'manufacturer', 'model_id', 'asset_tag']) expect(pc).toHaveProperty(field);
  });

  it('sys_db_object and sys_dictionary agree with the records: every field of an incident is a column of incident or task', async () => {
    const tables = (await call(sim.url, '/api/now/table/sys_db_object?sysparm_query=nameINtask,incident,cmdb_ci_hardware,cmdb_ci_computer&sysparm_fields=name,sys_id,super_class&sysparm_exclude_reference_link=true')).json.result as { name: string; sys_id: string; super_class: string }[];
    const id = (name: string) => tables.find((t) => t.name === name)!.sys_id;
    expect(tables.find((t) => t.name === 'incident')!.super_class).toBe(id('task'));
    expect(tables.find((t) => t.name === 'cmdb_ci_computer')!.super_class).toBe(id('cmdb_ci_hardware'));
    const columns = (await call(sim.url, '/api/now/table/sys_dictionary?sysparm_query=nameINtask,incident&sysparm_fields=name,element,internal_type,default_value&sysparm_limit=1000')).json.result as { name: string; element: string; internal_type: string; default_value: string }[];
    const incident = (await call(sim.url, '/api/now/table/incident?sysparm_limit=1')).json.result[0];
    const elements = new Set(columns.map((c) => c.element));
    for (const field of Object.keys(incident)) expect(elements, field).toContain(field);
    const column = (table: string, element: string) => columns.find((c) => c.name === table && c.element === element)!;
    expect(column('task', 'opened_by')).toMatchObject({ internal_type: 'reference', default_value: 'javascript:gs.getUserID()' });
    expect(column('task', 'watch_list').internal_type).toBe('glide_list');
    expect(column('incident', 'caller_id').internal_type).toBe('reference');
    const choices = (await call(sim.url, '/api/now/table/sys_choice?name=incident&element=state&sysparm_fields=value,label')).json.result;
    expect(choices).toContainEqual({ value: '6', label: 'Resolved' });
  });
});

describe('the standard import set staging tables of the WSO2 docs', () => {
  it('imp_computer transforms into cmdb_ci_computer, coalescing on serial_number and creating the manufacturer', async () => {
    const row = { serial_number: 'SN-LAB-7', name: 'lab-pc-07', manufacturer: 'Dell Inc.', model_id: 'OptiPlex 7090', cpu_count: '4', cpu_speed: '2900', ram: '16384', operating_system: 'Windows 10', disk_space: '512' };
    const first = await call(sim.url, '/api/now/import/imp_computer', { method: 'POST', body: row });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ staging_table: 'imp_computer', result: [{ transform_map: 'Computer', table: 'cmdb_ci_computer', status: 'inserted', display_name: 'name', display_value: 'lab-pc-07' }] });
    const sysId = first.json.result[0].sys_id;
    const ci = (await call(sim.url, `/api/now/table/cmdb_ci_computer/${sysId}?sysparm_display_value=true&sysparm_fields=name,os,ram,cpu_count,manufacturer,model_id,serial_number`)).json.result;
    expect(ci).toMatchObject({ name: 'lab-pc-07', os: 'Windows 10', ram: '16384', cpu_count: '4', serial_number: 'SN-LAB-7', manufacturer: { display_value: 'Dell Inc.' }, model_id: { display_value: 'OptiPlex 7090' } });
    const again = await call(sim.url, '/api/now/import/imp_computer', { method: 'POST', body: { ...row, ram: '32768' } });
    expect(again.json.result[0]).toMatchObject({ status: 'updated', sys_id: sysId });
    const same = await call(sim.url, '/api/now/import/imp_computer', { method: 'POST', body: { ...row, ram: '32768' } });
    expect(same.json.result[0].status).toBe('ignored');
    expect(sim.db.count('core_company', 'name=Dell Inc.')).toBe(1);
    const staged = (await call(sim.url, `/api/now/import/imp_computer/${sysIdOfStaging('imp_computer', 'SN-LAB-7')}`)).json;
    expect(staged.result[0].table).toBe('cmdb_ci_computer');
  });

  it('imp_user, imp_notification and imp_location follow their default maps', async () => {
    const user = await call(sim.url, '/api/now/import/imp_user', { method: 'POST', body: { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', department: 'Research' } });
    expect(user.json.result[0]).toMatchObject({ table: 'sys_user', status: 'inserted' });
    expect(sim.db.get('sys_user', user.json.result[0].sys_id)).toMatchObject({ user_name: 'ada.lovelace', name: 'Ada Lovelace', email: 'ada@example.com' });
    const note = await call(sim.url, '/api/now/import/imp_notification', { method: 'POST', body: { uuid: 'alarm-42', message: 'Disk full on lnux100', state: 'Active', severity: '1' } });
    expect(note.json.result[0]).toMatchObject({ table: 'incident', status: 'inserted' });
    expect(sim.db.get('incident', note.json.result[0].sys_id)).toMatchObject({ correlation_id: 'alarm-42', short_description: 'Disk full on lnux100', incident_state: '2', state: '2', severity: '1' });
    const place = { name: 'HQ', street: '1 Main St', city: 'San Diego', state: 'California', zip: '92130', country: 'USA' };
    const loc = await call(sim.url, '/api/now/import/imp_location', { method: 'POST', body: place });
    const locAgain = await call(sim.url, '/api/now/import/imp_location', { method: 'POST', body: place });
    expect(loc.json.result[0]).toMatchObject({ table: 'cmn_location', status: 'inserted' });
    expect(locAgain.json.result[0]).toMatchObject({ status: 'ignored', sys_id: loc.json.result[0].sys_id });
    const maps = (await call(sim.url, '/api/now/table/sys_transform_map?sysparm_fields=name,source_table,target_table')).json.result;
    expect(maps).toContainEqual({ name: 'Computer', source_table: 'imp_computer', target_table: 'cmdb_ci_computer' });
  });
});

function sysIdOfStaging(table: string, serial: string): string {
  return sim.db.list(table, `serial_number=${serial}`)[0].sys_id;
}
