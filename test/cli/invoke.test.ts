// `snconnect invoke` end to end: a spawned CLI against the simulator over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli, type CliResult } from './run-cli.js';

const PASSWORD = 'cli-Secret-7d1e9';
let sim: RunningSimulator;
let init: string[];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, users: [{ userName: 'cli.user', password: PASSWORD }] });
  init = [`serviceNowInstanceURL=${sim.url}`, 'username=cli.user', `password=${PASSWORD}`];
});
afterAll(() => sim.close());

function expectNoPassword(res: CliResult): void {
  expect(res.stdout).not.toContain(PASSWORD);
  expect(res.stderr).not.toContain(PASSWORD);
  expect(res.stderr).not.toContain(Buffer.from(`cli.user:${PASSWORD}`).toString('base64'));
}

function payloadOf(res: CliResult): { result: Record<string, unknown> & Array<Record<string, unknown>> } {
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as { result: Record<string, unknown> & Array<Record<string, unknown>> };
}

describe('snconnect invoke', () => {
  it('prints three incidents for the acceptance query', async () => {
    const res = await runCli(['invoke', 'getRecords', 'tableName=incident', 'sysparmQuery=active=true^priority=1', 'sysparmLimit=3', ...init]);
    const rows = payloadOf(res).result;
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatchObject({ active: 'true', priority: '1' });
    expectNoPassword(res);
  });

  it('reads the init parameters from SN_INSTANCE_URL, SN_USERNAME and SN_PASSWORD', async () => {
    const res = await runCli(['invoke', 'getRecords', 'tableName=incident', 'sysparmLimit=1'], {
      SN_INSTANCE_URL: sim.url,
      SN_USERNAME: 'cli.user',
      SN_PASSWORD: PASSWORD,
    });
    expect(payloadOf(res).result).toHaveLength(1);
  });

  it('creates, patches, replaces and deletes a record with the exact text', async () => {
    const text = 'Disk "full" on db-01';
    const created = payloadOf(await runCli(['invoke', 'postRecord', 'tableName=incident', `payload={"short_description":"Disk \\"full\\" on db-01","urgency":"2"}`, ...init])).result;
    expect(created).toMatchObject({ short_description: text, urgency: '2' });
    const sysId = String(created['sys_id']);
    expect(sim.db.get('incident', sysId)!['short_description']).toBe(text);

    const patched = payloadOf(await runCli(['invoke', 'patchRecord', 'tableName=incident', `sysId=${sysId}`, 'shortDescription=Disk cleaned', 'apiColumns={"urgency":"3"}', ...init])).result;
    expect(patched).toMatchObject({ short_description: 'Disk cleaned', urgency: '3' });

    const replaced = payloadOf(await runCli(['invoke', 'putRecordById', 'tableName=incident', `sysId=${sysId}`, 'category=hardware', ...init])).result;
    expect(replaced).toMatchObject({ category: 'hardware' });

    const deleted = await runCli(['invoke', 'deleteRecord', 'tableName=incident', `sysId=${sysId}`, ...init]);
    expect(deleted).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(sim.db.get('incident', sysId)).toBeUndefined();
    // Four processes one after the other: the default 30 s is not enough on a loaded 2-core machine.
  }, 90_000);

  it('getAggregateRecord counts per group and postRecordStagingTable prints the transform result', async () => {
    const groups = payloadOf(await runCli(['invoke', 'getAggregateRecord', 'tableName=incident', 'sysparmCount=true', 'sysparmGroupBy=priority', ...init])).result;
    expect(groups.length).toBeGreaterThan(1);
    expect(groups[0]).toMatchObject({ stats: { count: expect.stringMatching(/^\d+$/) }, groupby_fields: [{ field: 'priority' }] });
    const imported = payloadOf(await runCli(['invoke', 'postRecordStagingTable', 'tableNameStaging=u_incident_import', 'fields={"u_short_description":"via CLI"}', ...init])).result;
    expect(imported[0]).toMatchObject({ table: 'incident', status: 'inserted' });
    expect(sim.db.get('incident', String(imported[0]!['sys_id']))!['short_description']).toBe('via CLI');
  });

  it('prints {"code","message","detail"} on stderr and exits 1 on a ServiceNow error', async () => {
    const res = await runCli(['invoke', 'getRecordById', 'tableName=incident', 'sysId=ffffffffffffffffffffffffffffffff', ...init]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(JSON.parse(res.stderr)).toMatchObject({
      code: 'NOT_FOUND',
      message: 'getRecordById: ServiceNow answered 404: No Record found',
      detail: "Record doesn't exist or ACL restricts the record retrieval",
    });
    expectNoPassword(res);
  });

  it('rejects bad input before sending anything', async () => {
    sim.clearRequests();
    const res = await runCli(['invoke', 'getRecords', 'tableName=../sys_user', ...init]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr)).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'tableName', detail: null });
    expect(sim.requests()).toEqual([]);
  });

  it('never prints the password, not even when authentication fails', async () => {
    const wrong = `${PASSWORD}-wrong`;
    const res = await runCli(['invoke', 'getRecords', 'tableName=incident', `serviceNowInstanceURL=${sim.url}`, 'username=cli.user', `password=${wrong}`, 'maxRetries=0']);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr)).toMatchObject({ code: 'AUTH_FAILED' });
    expect(res.stderr + res.stdout).not.toContain(wrong);
    expectNoPassword(res);
  });

  it('--dry-run prints the rendered request and sends nothing', async () => {
    sim.clearRequests();
    const res = await runCli(['invoke', 'getRecords', 'tableName=incident', 'KeyValuePairs=priority=1', 'sysparmLimit=2', '--dry-run', ...init]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      method: 'GET',
      path: '/api/now/table/incident',
      query: [['sysparm_query', 'priority=1'], ['sysparm_limit', '2']],
    });
    expect(sim.requests()).toEqual([]);
    expectNoPassword(res);
  });

  it('an unknown option is an error, not silently ignored', async () => {
    sim.clearRequests();
    const res = await runCli(['invoke', 'getRecords', 'tableName=incident', '--dryrun', ...init]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr).message).toBe('invoke: unknown option --dryrun (options: --dry-run, --catalogue, --verbose, --format, --output, --help)');
    expect(sim.requests()).toEqual([]);
  });

  it('a value option given last without its value is refused before anything is sent', async () => {
    sim.clearRequests();
    const res = await runCli(['invoke', 'getRecords', 'tableName=incident', 'sysparmLimit=1', ...init, '--output']);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr)).toMatchObject({ code: 'INVALID_PARAMETER', message: 'invoke: option --output needs a value' });
    expect(res.stdout).toBe('');
    expect(sim.requests()).toEqual([]);
  });

  it('an unknown operation exits 1 naming the operations', async () => {
    const res = await runCli(['invoke', 'getRecordz', ...init]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr).message).toContain("unknown operation 'getRecordz'");
  });
});
