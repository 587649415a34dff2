// The npm `servicenow-rest-api` client (axios-based, hard-codes https://), driven through its documented API against
// the simulator over https (--tls, its self-signed certificate trusted through the client's own agent option,
// setNetworkOptions({ httpsAgent })). Each call gets what the package's README shows a real instance answering.
import { Agent, request } from 'node:https';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

interface ServiceNowClient {
  Authenticate(): void;
  setNetworkOptions(options: Record<string, unknown>): void;
  getSampleData(table: string, callback: (result: unknown) => void): void;
  getTableData(fields: string[], filters: string[], table: string, callback: (result: unknown) => void): void;
  getSysId(table: string, number: string, callback: (result: unknown) => void): void;
  createNewTask(data: Record<string, string>, table: string, callback: (result: unknown) => void): void;
  UpdateTask(table: string, number: string, data: Record<string, string>, callback: (result: unknown) => void): void;
  DeleteTask(table: string, number: string, callback: (result: unknown) => void): void;
  getAttachmentMetaData(sysId: string, callback: (result: unknown) => void): void;
  getAllAttachmentsMetaData(tableSysId: string, callback: (result: unknown) => void): void;
  getAttachment(sysId: string, callback: (result: unknown) => void): void;
  getChangeTasks(table: string, number: string, callback: (result: unknown) => void): void;
}

type Row = Record<string, any>;

const ServiceNow = createRequire(import.meta.url)('servicenow-rest-api') as new (instance: string, user: string, password: string) => ServiceNowClient;

let sim: RunningSimulator;
let sn: ServiceNowClient;
let logSpy: ReturnType<typeof vi.spyOn>;

/** A request with node's https client, trusting the simulator's certificate. */
function overHttps(method: string, path: string, text?: string): Promise<Row> {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64'), Accept: 'application/json', 'Content-Type': 'text/plain' };
    const req = request(`${sim.url}${path}`, { method, agent: new Agent({ ca: sim.certificatePem }), headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(JSON.parse(body) as Row));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** The client reports through callbacks; an axios error arrives in the same callback. */
function viaCallback<T>(invoke: (done: (result: unknown) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => invoke((result) => (result instanceof Error ? reject(result) : resolve(result as T))));
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 21, tls: true });
  // The client prints every URL it queries; keep the test output quiet but readable by the login check below.
  logSpy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  // "instance" may be a host name with a dot: the client then uses it as is (https://<instance>/api/now/...).
  sn = new ServiceNow(`127.0.0.1:${sim.port}`, 'admin', 'admin');
  sn.setNetworkOptions({ httpsAgent: new Agent({ ca: sim.certificatePem, keepAlive: false }) });
});
afterAll(async () => {
  logSpy.mockRestore();
  await sim.close();
});

describe('servicenow-rest-api against the simulator over https', () => {
  it('serves https with a certificate the client trusts', () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.certificatePath).toMatch(/simulator-cert\.pem$/);
  });

  it('Authenticate(): the sys_user?user_name= lookup it logs in with answers 200 with exactly that user', async () => {
    sim.clearRequests();
    sn.Authenticate();
    await vi.waitFor(() => expect(logSpy).toHaveBeenCalledWith('Authenticated'), { timeout: 5000 });
    const lookup = sim.requests().find((r) => r.path === '/api/now/v2/table/sys_user')!;
    expect(lookup).toMatchObject({ status: 200, query: { user_name: 'admin' }, user: 'admin' });
    // The same URL answers with one record, the logged-in user (not every user, as a filter-less list would).
    const answer = await overHttps('GET', `/api/now/v2/table/sys_user?user_name=admin`);
    expect(answer.result.map((u: Row) => u.user_name)).toEqual(['admin']);
  });

  it('getSampleData(): one record with the full field set of a real incident', async () => {
    const rows = await viaCallback<Row[]>((done) => sn.getSampleData('incident', done));
    expect(rows).toHaveLength(1);
    for (const field of ['parent', 'made_sla', 'caused_by', 'watch_list', 'upon_reject', 'child_incidents', 'hold_reason', 'approval_history', 'number', 'sys_updated_on']) expect(rows[0]).toHaveProperty(field);
  });

  it('getTableData(): fields and filters, display values, reference links on the v2 path', async () => {
    const rows = await viaCallback<Row[]>((done) => sn.getTableData(['number', 'short_description', 'assignment_group', 'priority'], ['urgency=1'], 'incident', done));
    expect(rows.length).toBe(sim.db.count('incident', 'urgency=1'));
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['assignment_group', 'number', 'priority', 'short_description']);
      expect(row.priority).toMatch(/^\d - /);
      if (row.assignment_group !== '') {
        expect(row.assignment_group).toEqual({ display_value: expect.any(String), link: expect.stringMatching(new RegExp(`^${sim.url}/api/now/v2/table/sys_user_group/[0-9a-f]{32}$`)) });
      }
    }
    expect(rows.some((r) => r.assignment_group !== '')).toBe(true);
  });

  it('createNewTask(), getSysId(), UpdateTask(), DeleteTask(): display values in and out, priority from impact and urgency', async () => {
    // The README's example: display values on input (sysparm_input_display_value=true), display values back.
    const created = await viaCallback<Row>((done) => sn.createNewTask({ short_description: 'Need urgent attention!!', urgency: '1', priority: '1', assignment_group: 'Hardware' }, 'incident', done));
    expect(created.number).toMatch(/^INC\d{7}$/);
    expect(created.assignment_group).toMatchObject({ display_value: 'Hardware' });
    expect(created.urgency).toBe('1 - High');
    // Priority follows impact (default 3 - Low) x urgency (1 - High), whatever priority was sent.
    expect(created.priority).toBe('3 - Moderate');
    expect(created.made_sla).toBe('true');

    const sysId = await viaCallback<string>((done) => sn.getSysId('incident', created.number, done));
    expect(sysId).toMatch(/^[0-9a-f]{32}$/);

    const updated = await viaCallback<Row>((done) => sn.UpdateTask('incident', created.number, { urgency: '1', impact: '1', assignment_group: 'Network' }, done));
    expect(updated).toMatchObject({ number: created.number, impact: '1 - High', priority: '1 - Critical', assignment_group: { display_value: 'Network' } });

    const change = await viaCallback<Row>((done) => sn.createNewTask({ short_description: 'Reboot Server', risk: 'High', type: 'Emergency', assignment_group: 'Hardware' }, 'change_request', done));
    expect(change).toMatchObject({ type: 'Emergency', risk: 'High', conflict_status: 'Not Run' });
    expect(change.number).toMatch(/^CHG\d{7}$/);

    const deleted = await viaCallback<{ status: number }>((done) => sn.DeleteTask('incident', created.number, done));
    expect(deleted.status).toBe(204);
    expect(sim.db.get('incident', sysId)).toBeUndefined();
  });

  it('getChangeTasks(): the change_task?change_request=<number> name-value filter', async () => {
    const change = sim.db.insert('change_request', { short_description: 'Patch Exchange' });
    sim.db.insert('change_task', { short_description: 'Back up', change_request: change.sys_id });
    sim.db.insert('change_task', { short_description: 'Patch', change_request: change.sys_id });
    const other = sim.db.insert('change_request', { short_description: 'Another change' });
    sim.db.insert('change_task', { short_description: 'Not this one', change_request: other.sys_id });
    const tasks = await viaCallback<Row[]>((done) => sn.getChangeTasks('change_task', change.number, done));
    expect(tasks).toHaveLength(2);
    for (const t of tasks) {
      expect(Object.keys(t).sort()).toEqual(['number', 'sys_id']);
      expect(t.number).toMatch(/^CTASK\d{7}$/);
    }
  });

  it('getAllAttachmentsMetaData(), getAttachmentMetaData(), getAttachment(): metadata list, one record, the bytes', async () => {
    const incident = sim.db.list('incident')[0];
    const other = sim.db.list('incident')[1];
    // The client has no upload call: attachments are posted over the same https with node's own client.
    const upload = async (tableSysId: string, name: string, text: string): Promise<Row> =>
      (await overHttps('POST', `/api/now/attachment/file?table_name=incident&table_sys_id=${tableSysId}&file_name=${name}`, text)).result;
    const mine = await upload(incident.sys_id, 'test123.txt', 'hello from the client');
    await upload(other.sys_id, 'elsewhere.txt', 'not listed');

    const all = await viaCallback<Row[]>((done) => sn.getAllAttachmentsMetaData(incident.sys_id, done));
    expect(all.map((m) => m.file_name)).toEqual(['test123.txt']);
    const meta = await viaCallback<Row>((done) => sn.getAttachmentMetaData(mine.sys_id, done));
    for (const field of ['size_bytes', 'file_name', 'sys_mod_count', 'average_image_color', 'image_width', 'sys_updated_on', 'sys_tags', 'table_name', 'sys_id', 'image_height', 'sys_updated_by', 'download_link', 'content_type', 'sys_created_on', 'size_compressed', 'compressed', 'state', 'table_sys_id', 'chunk_size_bytes', 'hash', 'sys_created_by']) {
      expect(meta).toHaveProperty(field);
    }
    expect(meta).toMatchObject({ table_sys_id: incident.sys_id, size_bytes: '21', content_type: 'text/plain', download_link: `${sim.url}/api/now/attachment/${mine.sys_id}/file` });
    const file = await viaCallback<{ status: number; headers: Row; data: string }>((done) => sn.getAttachment(mine.sys_id, done));
    expect(file.status).toBe(200);
    expect(file.data).toBe('hello from the client');
    expect(file.headers['content-disposition']).toBe('attachment;filename=test123.txt');
    expect(JSON.parse(file.headers['x-attachment-metadata'])).toMatchObject({ file_name: 'test123.txt', sys_id: mine.sys_id });
  });

  it('a wrong password reaches the callback as the 401 error', async () => {
    // setNetworkOptions replaces the package's module-wide axios, so this second client already trusts the certificate.
    const wrong = new ServiceNow(`127.0.0.1:${sim.port}`, 'admin', 'nope');
    const err = await viaCallback<Row>((done) => wrong.getSampleData('incident', done)).catch((e: { response?: { status: number; data: unknown } }) => e);
    expect((err as { response: { status: number; data: unknown } }).response).toMatchObject({ status: 401, data: { error: { message: 'User Not Authenticated' }, status: 'failure' } });
  });
});
