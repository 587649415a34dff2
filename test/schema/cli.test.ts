// The acceptance checks through the real `snconnect` command against the simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli } from '../cli/run-cli.js';

let sim: RunningSimulator;
let init: string[];
const PASSWORD = 'schema-Secret-31f0';

beforeAll(async () => {
  sim = await startSimulator({ port: 0, users: [{ userName: 'schema.admin', password: PASSWORD }] });
  init = [`serviceNowInstanceURL=${sim.url}`, 'username=schema.admin', `password=${PASSWORD}`];
});
afterAll(() => sim.close());

describe('snconnect invoke (schema features)', () => {
  it("getTableSchema tableName=incident lists incident's fields including inherited task fields", async () => {
    const res = await runCli(['invoke', 'getTableSchema', 'tableName=incident', ...init]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const schema = (JSON.parse(res.stdout) as { result: { hierarchy: string[]; fields: Array<{ name: string; definedOn: string }> } }).result;
    expect(schema.hierarchy).toEqual(['incident', 'task']);
    const definedOn = Object.fromEntries(schema.fields.map((f) => [f.name, f.definedOn]));
    expect(definedOn).toMatchObject({ caller_id: 'incident', category: 'incident', short_description: 'task', assigned_to: 'task', priority: 'task' });
  });

  it('a create with a misspelled field and validatePayload=true exits 1 naming the field and the closest one; nothing is sent', async () => {
    sim.clearRequests();
    const before = sim.db.count('incident');
    const res = await runCli(['invoke', 'postRecord', 'tableName=incident', 'validatePayload=true', 'payload={"short_descripion":"Printer jam","urgency":"2"}', ...init]);
    expect(res.code).toBe(1);
    const error = JSON.parse(res.stderr) as { code: string; message: string };
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain("unknown field 'short_descripion' (did you mean 'short_description'?)");
    expect(sim.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    expect(sim.db.count('incident')).toBe(before);
    expect(res.stderr + res.stdout).not.toContain(PASSWORD);
  });

  it('--dry-run prints method, URL, headers with the credential redacted and the body; nothing is sent', async () => {
    sim.clearRequests();
    const res = await runCli(['invoke', 'postRecord', 'tableName=incident', 'shortDescription=Dry & "run"', 'sysparmFields=number,sys_id', '--dry-run', ...init]);
    expect(res.code).toBe(0);
    const view = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(view).toMatchObject({
      method: 'POST',
      url: `${sim.url}/api/now/table/incident?sysparm_fields=number%2Csys_id`,
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: 'Basic ***' },
      body: { short_description: 'Dry & "run"' },
      idempotent: false,
    });
    expect(sim.requests()).toEqual([]);
    expect(res.stdout).not.toContain(PASSWORD);
    expect(res.stdout).not.toContain(Buffer.from(`schema.admin:${PASSWORD}`).toString('base64'));
  });

  it('--dry-run with oauth2 shows a Bearer header without fetching a token', async () => {
    sim.clearRequests();
    const res = await runCli(['invoke', 'getRecords', 'tableName=incident', 'strictQuery=true', 'sysparmQuery=priority=1', '--dry-run', `serviceNowInstanceURL=${sim.url}`, 'authType=oauth2', 'clientId=abc', 'clientSecret=top-secret-9', 'username=u', 'password=p']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ method: 'GET', headers: { authorization: 'Bearer ***' } });
    expect(res.stdout).not.toContain('top-secret-9');
    expect(sim.requests()).toEqual([]);
  });
});
