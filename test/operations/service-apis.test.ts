// The CMDB Instance, Service Catalog and Change Management operations (catalogue files only) through the real
// runtime against the simulator over HTTP: what is sent, what comes back, and what the simulator stored.
import { beforeEach, describe, expect, it } from 'vitest';
import { resultOf, rowsOf, useSimulator, type Row } from '../invoke/support.js';

const h = useSimulator();
beforeEach(() => h.sim.clearRequests());

const idOf = (table: string, query: string): string => String(h.sim.db.list(table, query)[0]!['sys_id']);
const sent = () => h.apiRequests().map((r) => `${r.method} ${r.path}`);

describe('getRecordByField', () => {
  it('finds the record whose field equals the value, and only that one', async () => {
    const res = await h.conn.invoke('getRecordByField', { tableName: 'sys_user', fieldName: 'user_name', fieldValue: 'abel.tuter', sysparmFields: 'user_name,name' });
    expect(rowsOf(res.payload)).toEqual([{ user_name: 'abel.tuter', name: 'Abel Tuter' }]);
    expect(h.apiRequests()[0]!.query).toMatchObject({ sysparm_query: 'user_name=abel.tuter', sysparm_limit: '10' });
  });

  it('refuses a field name that is not a field name, before sending', async () => {
    const err = await h.conn.invoke('getRecordByField', { tableName: 'sys_user', fieldName: 'user_name=x^ORactive', fieldValue: 'true' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', operation: 'getRecordByField', parameter: 'fieldName' });
    expect(h.apiRequests()).toEqual([]);
  });
});

describe('CMDB Instance API', () => {
  it('lists a class with its subclasses, filtered by an encoded query', async () => {
    const res = await h.conn.invoke('listCmdbInstances', { className: 'cmdb_ci_server', sysparmQuery: 'nameSTARTSWITHlnux' });
    expect(rowsOf(res.payload).map((r) => r['name']).sort()).toEqual(['lnux101', 'lnux102']);
    expect(Object.keys(rowsOf(res.payload)[0]!).sort()).toEqual(['name', 'sys_id']);
    expect(sent()).toEqual(['GET /api/now/cmdb/instance/cmdb_ci_server']);
  });

  it('reads a CI with attributes and relations both ways', async () => {
    const id = idOf('cmdb_ci_linux_server', 'name=lnux101');
    const ci = resultOf((await h.conn.invoke('getCmdbInstance', { className: 'cmdb_ci_linux_server', sysId: id })).payload) as Row;
    expect(ci['attributes']).toMatchObject({ name: 'lnux101', ram: '8192', sys_class_name: 'cmdb_ci_linux_server' });
    const out = ci['outbound_relations'] as Array<{ type: Row; target: Row }>;
    expect(out.map((r) => `${r.type['display_value']} ${r.target['display_value']}`).sort()).toEqual(['Depends on::Used by Oracle FLX', 'Exchanges data with::Exchanges data with lnux102']);
    expect((ci['inbound_relations'] as Array<{ target: Row }>).map((r) => r.target['display_value'])).toEqual(['SAP Sales and Distribution']);
  });

  it('creates a CI with a relation, updates it, adds and deletes a relation', async () => {
    const dependsOn = idOf('cmdb_rel_type', 'parent_descriptor=Depends on');
    const oracle = idOf('cmdb_ci', 'name=Oracle FLX');
    const created = await h.conn.invoke('createCmdbInstance', {
      className: 'cmdb_ci_linux_server',
      attributes: { name: 'lnux200', ip_address: '10.0.3.200' },
      outboundRelations: [{ type: dependsOn, target: oracle }],
    });
    expect(created.status).toBe(201);
    expect(JSON.parse(h.apiRequests()[0]!.body)).toEqual({ attributes: { name: 'lnux200', ip_address: '10.0.3.200' }, source: 'ServiceNow', outbound_relations: [{ type: dependsOn, target: oracle }] });
    const id = String(((resultOf(created.payload) as Row)['attributes'] as Row)['sys_id']);
    expect(h.sim.db.count('cmdb_rel_ci', `parent=${id}^child=${oracle}`)).toBe(1);

    await h.conn.invoke('updateCmdbInstance', { className: 'cmdb_ci_linux_server', sysId: id, attributes: { operational_status: '2' }, source: 'SCCM' });
    expect(h.sim.db.get('cmdb_ci_linux_server', id)).toMatchObject({ operational_status: '2', name: 'lnux200' });

    const lnux102 = idOf('cmdb_ci_linux_server', 'name=lnux102');
    const added = await h.conn.invoke('addCmdbRelations', { className: 'cmdb_ci_linux_server', sysId: id, inboundRelations: [{ type: dependsOn, target: lnux102 }] });
    const rel = ((resultOf(added.payload) as Row)['inbound_relations'] as Row[])[0]!;
    await h.conn.invoke('deleteCmdbRelation', { className: 'cmdb_ci_linux_server', sysId: id, relSysId: String(rel['sys_id']) });
    expect(h.sim.db.count('cmdb_rel_ci', `child=${id}`)).toBe(0);
  });

  it("keeps ServiceNow's errors: an unknown class, a missing CI, a relation to nothing", async () => {
    await expect(h.conn.invoke('listCmdbInstances', { className: 'incident' })).rejects.toMatchObject({ code: 'SERVICENOW_ERROR', status: 400 });
    await expect(h.conn.invoke('getCmdbInstance', { className: 'cmdb_ci', sysId: '0'.repeat(32) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const bad = h.conn.invoke('createCmdbInstance', { className: 'cmdb_ci_linux_server', attributes: { name: 'x' }, outboundRelations: [{ type: '1'.repeat(32), target: '2'.repeat(32) }] });
    await expect(bad).rejects.toMatchObject({ code: 'SERVICENOW_ERROR', status: 400 });
    expect(h.sim.db.count('cmdb_ci_linux_server', 'name=x')).toBe(0);
  });
});

describe('Service Catalog API', () => {
  it('lists items by text and reads an item with its variables', async () => {
    const list = rowsOf((await h.conn.invoke('listCatalogItems', { sysparmText: 'mail' })).payload);
    expect(list.map((i) => i['name'])).toEqual(['New Email Account']);
    const item = resultOf((await h.conn.invoke('getCatalogItem', { sysId: String(list[0]!['sys_id']) })).payload) as Row;
    expect((item['variables'] as Row[]).map((v) => [v['name'], v['mandatory'], v['friendly_type']])).toEqual([
      ['email_alias', true, 'single_line_text'],
      ['shared', false, 'check_box'],
    ]);
    expect(item['category']).toMatchObject({ title: 'Software' });
  });

  it('order_now creates a request and its item; a missing mandatory variable is ServiceNow\'s 400', async () => {
    const item = idOf('sc_cat_item', 'name=New Email Account');
    await expect(h.conn.invoke('orderCatalogItem', { sysId: item })).rejects.toMatchObject({ code: 'SERVICENOW_ERROR', status: 400, message: expect.stringContaining('Mandatory Variables are required') });
    const res = await h.conn.invoke('orderCatalogItem', { sysId: item, quantity: 2, variables: { email_alias: 'jdoe' } });
    const order = resultOf(res.payload) as Row;
    expect(order).toMatchObject({ table: 'sc_request', number: expect.stringMatching(/^REQ\d{7}$/) });
    expect(JSON.parse(h.apiRequests()[1]!.body)).toEqual({ sysparm_quantity: 2, variables: { email_alias: 'jdoe' } });
    const items = rowsOf((await h.conn.invoke('getRequestItems', { requestSysId: String(order['request_id']), sysparmFields: 'number,quantity,cat_item' })).payload);
    expect(items).toEqual([{ number: expect.stringMatching(/^RITM\d{7}$/), quantity: '2', cat_item: { link: expect.any(String), value: item } }]);
  });

  it('add to cart twice, then submit: one request with two items', async () => {
    const laptop = idOf('sc_cat_item', 'name=Standard Laptop');
    const ipad = idOf('sc_cat_item', 'name=Apple iPad 3');
    await h.conn.invoke('addCatalogItemToCart', { sysId: laptop });
    const cart = resultOf((await h.conn.invoke('addCatalogItemToCart', { sysId: ipad, variables: { color: 'silver' } })).payload) as Row;
    expect(cart['subtotal']).toBe('$1,700.00');
    const submitted = resultOf((await h.conn.invoke('submitCartOrder', {})).payload) as Row;
    expect(h.sim.db.list('sc_req_item', `request=${submitted['request_id']}^ORDERBYnumber`).map((r) => r['short_description'])).toEqual(['Standard Laptop', 'Apple iPad 3']);
    await expect(h.conn.invoke('submitCartOrder', {})).rejects.toMatchObject({ status: 400 });
  });
});

describe('Change Management API', () => {
  it('creates normal, emergency and standard changes', async () => {
    const ci = idOf('cmdb_ci', 'name=Oracle FLX');
    const normal = resultOf((await h.conn.invoke('createNormalChange', { shortDescription: 'Resize Oracle FLX', cmdbCi: ci, fields: { risk: '3', no_such_field: 'x' } })).payload) as Record<string, Row>;
    expect(normal['type']).toEqual({ display_value: 'Normal', value: 'normal' });
    expect(normal['state']).toEqual({ display_value: 'New', value: '-5' });
    expect(normal['cmdb_ci']).toEqual({ display_value: 'Oracle FLX', value: ci });
    expect(normal['__meta']).toEqual({ ignoredFields: ['no_such_field'] });
    const emergency = resultOf((await h.conn.invoke('createEmergencyChange', { shortDescription: 'Stop the leak' })).payload) as Record<string, Row>;
    expect(emergency['type']!['value']).toBe('emergency');
    const template = idOf('std_change_record_producer', 'name=Reboot a Linux server');
    const standard = resultOf((await h.conn.invoke('createStandardChange', { templateSysId: template })).payload) as Record<string, Row>;
    expect([standard['type']!['value'], standard['short_description']!['value'], standard['approval']!['value']]).toEqual(['standard', 'Reboot a Linux server', 'approved']);
    expect(sent()).toEqual(['POST /api/sn_chg_rest/change/normal', 'POST /api/sn_chg_rest/change/emergency', `POST /api/sn_chg_rest/change/standard/${template}`]);
  });

  it('reads, updates and lists a change and its tasks', async () => {
    const id = idOf('change_request', 'number=CHG0010001');
    const change = resultOf((await h.conn.invoke('getChange', { changeSysId: id })).payload) as Record<string, Row>;
    expect(change['number']!['value']).toBe('CHG0010001');
    await h.conn.invoke('updateChange', { changeSysId: id, description: 'Firmware 9.2' });
    expect(h.sim.db.get('change_request', id)!['description']).toBe('Firmware 9.2');
    const tasks = rowsOf((await h.conn.invoke('getChangeTasks', { changeSysId: id, sysparmQuery: 'change_task_type=planning' })).payload) as Array<Record<string, Row>>;
    expect(tasks.map((t) => t['change_task_type']!['value'])).toEqual(['planning']);
    const emergencies = rowsOf((await h.conn.invoke('listChanges', { changeType: 'emergency', sysparmQuery: 'ORDERBYnumber' })).payload) as Array<Record<string, Row>>;
    expect(emergencies.length).toBeGreaterThan(0);
    for (const c of emergencies) expect(c['type']!['value']).toBe('emergency');
  });

  it('conflicts: reads the last check, runs a new one', async () => {
    const first = idOf('change_request', 'number=CHG0010001');
    const seeded = resultOf((await h.conn.invoke('getChangeConflicts', { changeSysId: first })).payload) as Row;
    expect(seeded).toMatchObject({ status: 'Conflict', record_count: '1' });
    const ci = idOf('cmdb_ci', 'name=Corporate VPN');
    const window = { startDate: '2026-03-01 10:00:00', endDate: '2026-03-01 12:00:00' };
    const a = resultOf((await h.conn.invoke('createNormalChange', { shortDescription: 'A', cmdbCi: ci, ...window })).payload) as Record<string, Row>;
    await h.conn.invoke('createNormalChange', { shortDescription: 'B', cmdbCi: ci, startDate: '2026-03-01 11:00:00', endDate: '2026-03-01 13:00:00' });
    const check = resultOf((await h.conn.invoke('checkChangeConflicts', { changeSysId: String(a['sys_id']!['value']) })).payload) as { conflicts: Array<Record<string, Row>> };
    expect(check.conflicts.map((c) => c['type']!['value'])).toContain('ci_already_scheduled');
  });

  it('approvals: lists them, approves one change and rejects another with comments', async () => {
    const created = resultOf((await h.conn.invoke('createNormalChange', { shortDescription: 'Needs CAB' })).payload) as Record<string, Row>;
    const id = String(created['sys_id']!['value']);
    const approvals = rowsOf((await h.conn.invoke('getChangeApprovals', { changeSysId: id, sysparmDisplayValue: 'true' })).payload);
    expect(approvals).toEqual([expect.objectContaining({ approver: expect.objectContaining({ display_value: 'Fred Luddy' }), state: 'Requested' })]);
    const approved = resultOf((await h.conn.invoke('approveChange', { changeSysId: id, approvalState: 'approved' })).payload) as Record<string, Row>;
    expect(approved['state']).toEqual({ display_value: 'Scheduled', value: '-2' });

    const other = String((resultOf((await h.conn.invoke('createNormalChange', { shortDescription: 'Risky' })).payload) as Record<string, Row>)['sys_id']!['value']);
    const noReason = await h.conn.invoke('approveChange', { changeSysId: other, approvalState: 'rejected' }).catch((e: unknown) => e);
    expect(noReason).toMatchObject({ code: 'MISSING_PARAMETER', parameter: 'comments' });
    await h.conn.invoke('approveChange', { changeSysId: other, approvalState: 'rejected', comments: 'Too risky this week' });
    expect(h.sim.db.get('change_request', other)).toMatchObject({ approval: 'rejected', state: '4' });
  });
});
