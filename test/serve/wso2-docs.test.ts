// The WSO2 material as users bring it, served unchanged (only the instance URL points at the simulator) and
// called with the docs' own curl requests: the MI docs' ServiceNow example API (an MI project folder), the
// connector docs' Table API sample, and the connector's own test proxy.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServeHarness, type ServeHarness } from './support.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'wso2');
let h: ServeHarness;
beforeAll(async () => {
  h = await startServeHarness();
});
afterAll(() => h.close());

describe('WSO2 docs artifacts under serve', () => {
  it('MI docs example: POST /servicenow/postRecord, then /servicenow/readRecord with the sys_id, answer as the docs show', async () => {
    const server = await h.serve(await h.fixtures(join(fixtures, 'servicenow-example')));
    // curl -H "Content-Type: application/json" --request POST --data @body.json http://localhost:8290/servicenow/postRecord
    const posted = await call(`${server.url}/servicenow/postRecord`, { json: { shortDescription: 'Incident type: L2', contacttype: 'email' } });
    expect(posted.status).toBe(201); // ServiceNow's status passes through <respond/>, as in WSO2
    expect(posted.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(posted.json.result).sort()).toEqual(['number', 'short_description', 'sys_id']);
    expect(posted.json.result).toMatchObject({ short_description: 'Incident type: L2', number: '34' });
    const sysId = posted.json.result.sys_id as string;
    expect(sysId).toMatch(/^[0-9a-f]{32}$/);
    // (the docs' second curl names /fileconnector/readrecord, a slip: the API's resource is /servicenow/readRecord)
    const read = await call(`${server.url}/servicenow/readRecord`, { json: { sysId } });
    expect(read.status).toBe(200);
    expect(read.json.result).toMatchObject({ sys_id: sysId, number: '34', short_description: 'Incident type: L2', category: 'inquiry', active: 'true', sys_class_name: 'incident' });
  });

  it('connector docs Table API sample: curl /table/readrecord -d @getRecords.json lists problems with the three fields', async () => {
    const server = await h.serve(await h.fixtures(join(fixtures, 'table-api')));
    const body = {
      tableName: 'problem',
      sysparmDisplayValue: 'true',
      sysparmFields: 'short_description,number,sys_id',
      sysparmView: 'short_description,number,sys_id',
      sysparmLimit: '10',
      sysparmOffset: '4',
      sysparmExcludeReferenceLink: 'true',
      keyValuePairs: { active: 'true' },
    };
    const res = await call(`${server.url}/table/readrecord`, { json: body });
    expect(res.status).toBe(200);
    const rows = res.json.result as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(10);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['number', 'short_description', 'sys_id']);
  });

  it("the connector's test proxy: /services/servicenow picks the operation from the Action header; a 404 answers 404 with ServiceNow's error", async () => {
    const server = await h.serve(await h.fixtures(join(fixtures, 'connector-test-proxy')));
    const creds = { serviceNowInstanceURL: h.sim.url, username: 'admin', password: 'admin' };
    const list = await call(`${server.url}/services/servicenow`, { json: { ...creds, tableName: 'incident', sysparmLimit: '2' }, headers: { Action: 'urn:getRecords' } });
    expect(list.status).toBe(200);
    expect(list.json.result).toHaveLength(2);
    const created = await call(`${server.url}/services/servicenow`, { json: { ...creds, tableName: 'incident', shortDescription: 'From the proxy', category: 'network' }, headers: { Action: 'urn:postRecord' } });
    expect(created.status).toBe(201);
    expect(created.json.result.short_description).toBe('From the proxy');
    const missing = await call(`${server.url}/services/servicenow`, { json: { ...creds, tableName: 'incident', sysId: '0123456789abcdef0123456789abcdef' }, headers: { Action: 'urn:getRecordById' } });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ status: 'failure', error: { message: expect.any(String) } });
    expect(missing.text).not.toContain('admin');
  });
});
