// Bad input is rejected with a clear error naming the operation and the parameter, before any request leaves.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import { useSimulator } from './support.js';

const h = useSimulator();
beforeEach(() => h.sim.clearRequests());

const SYS_ID = '0123456789abcdef0123456789abcdef';

async function rejected(operation: string, params: Record<string, unknown>): Promise<ConnectorError> {
  const err = await h.conn.invoke(operation, params).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  expect(h.apiRequests()).toEqual([]);
  return err as ConnectorError;
}

describe('bad input never reaches ServiceNow', () => {
  it('a missing required parameter', async () => {
    const err = await rejected('getRecordById', { tableName: 'incident' });
    expect(err).toMatchObject({ code: 'MISSING_PARAMETER', operation: 'getRecordById', parameter: 'sysId' });
    expect(err.message).toBe("getRecordById: missing required parameter 'sysId'");
  });

  it.each([
    ['../sys_user'],
    ['incident?x=1'],
    ['incident/123'],
    ['Incident'],
    ['incident%2F..'],
  ])('tableName %j', async (tableName) => {
    const err = await rejected('getRecords', { tableName });
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', operation: 'getRecords', parameter: 'tableName' });
    expect(err.message).toBe(`getRecords: parameter 'tableName' must match ^[a-z0-9_]+$ (got ${JSON.stringify(tableName)})`);
  });

  it.each([['not-a-sys-id'], ['0123456789ABCDEF0123456789ABCDEF'], [SYS_ID + '0'], [SYS_ID.slice(1)]])('sysId %j', async (sysId) => {
    const err = await rejected('patchRecord', { tableName: 'incident', sysId, shortDescription: 'x' });
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'sysId' });
    expect(err.message).toContain("patchRecord: parameter 'sysId' must match ^[0-9a-f]{32}$");
  });

  it('a payload that is not JSON', async () => {
    const err = await rejected('postRecord', { tableName: 'incident', payload: '{"short_description": "x"' });
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', operation: 'postRecord', parameter: 'payload' });
    expect(err.message).toMatch(/^postRecord: parameter 'payload' is not valid JSON/);
  });

  it.each([['[1,2]'], ['"text"'], ['42'], [[{ a: 1 }]]])('a payload that is JSON but not an object: %j', async (payload) => {
    const err = await rejected('postRecord', { tableName: 'incident', payload });
    expect(err.message).toContain("postRecord: parameter 'payload' must be a JSON object");
  });

  it('apiColumns and fields must be JSON objects too', async () => {
    expect((await rejected('putRecord', { tableName: 'incident', sysId: SYS_ID, apiColumns: 'urgency=2' })).parameter).toBe('apiColumns');
    expect((await rejected('postRecordStagingTable', { tableNameStaging: 'u_incident_import', fields: '[]' })).parameter).toBe('fields');
  });

  it('a wrong type: junk for an integer or a boolean', async () => {
    const limit = await rejected('getRecords', { tableName: 'incident', sysparmLimit: 'five' });
    expect(limit.message).toBe(`getRecords: parameter 'sysparmLimit' must be an integer written in decimal digits (got "five")`);
    const decimal = await rejected('getRecords', { tableName: 'incident', sysparmLimit: '2.5' });
    expect(decimal.parameter).toBe('sysparmLimit');
    const flag = await rejected('getRecords', { tableName: 'incident', sysparmNoCount: 'yes' });
    expect(flag.message).toBe(`getRecords: parameter 'sysparmNoCount' must be a boolean (got "yes")`);
    const object = await rejected('getRecords', { tableName: 'incident', sysparmQuery: { a: 1 } });
    expect(object.message).toContain(`parameter 'sysparmQuery' must be a string`);
  });

  it('a value outside the allowed range or values', async () => {
    expect((await rejected('getRecords', { tableName: 'incident', sysparmLimit: 0 })).message).toBe(`getRecords: parameter 'sysparmLimit' must be >= 1 (got 0)`);
    expect((await rejected('getRecords', { tableName: 'incident', sysparmDisplayValue: 'maybe' })).message).toBe(
      `getRecords: parameter 'sysparmDisplayValue' must be one of true, false, all (got "maybe")`,
    );
  });

  it('a field list or key=value list that could inject query syntax', async () => {
    expect((await rejected('getRecords', { tableName: 'incident', sysparmFields: 'number&sysparm_view=mobile' })).parameter).toBe('sysparmFields');
    expect((await rejected('getRecords', { tableName: 'incident', keyValuePairs: 'priority=1^ORactive=false' })).parameter).toBe('keyValuePairs');
  });

  it('an unknown parameter, named with the known ones', async () => {
    const err = await rejected('getRecords', { tableName: 'incident', sysparmLimt: 5 });
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'sysparmLimt' });
    expect(err.message).toMatch(/^getRecords: unknown parameter 'sysparmLimt' \(parameters: tableName, /);
  });

  it('the same parameter under its name and its alias', async () => {
    const err = await rejected('getRecords', { tableName: 'incident', keyValuePairs: 'a=1', KeyValuePairs: 'b=2' });
    expect(err.message).toContain("parameter 'keyValuePairs' is given twice");
  });

  it('coerces text from the CLI or a sequence to the declared types', async () => {
    const req = h.conn.prepare('getRecords', { tableName: 'incident', sysparmLimit: '5', sysparmNoCount: 'true', sysparmDisplayValue: true });
    expect(req.query).toEqual([
      ['sysparm_display_value', 'true'],
      ['sysparm_limit', '5'],
      ['sysparm_no_count', 'true'],
    ]);
    expect(h.apiRequests()).toEqual([]);
  });

  it('empty strings mean "not set", as a sequence passes them', async () => {
    const err = await rejected('getRecords', { tableName: '' });
    expect(err.code).toBe('MISSING_PARAMETER');
    const req = h.conn.prepare('getRecords', { tableName: 'incident', sysparmLimit: '', sysparmQuery: '' });
    expect(req.query).toEqual([]);
  });
});

describe('init parameters', () => {
  it('a missing instance URL or a bad one', () => {
    expect(() => h.connector.connect({ username: 'admin', password: 'admin' })).toThrow(
      expect.objectContaining({ code: 'MISSING_PARAMETER', parameter: 'serviceNowInstanceURL', operation: 'init' }),
    );
    expect(() => h.connector.connect({ serviceNowInstanceURL: 'ftp://x', username: 'a', password: 'b' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER', parameter: 'serviceNowInstanceURL' }),
    );
  });

  it('basic auth (the default) needs a username and a password', () => {
    expect(() => h.connector.connect({ serviceNowInstanceURL: h.sim.url, username: 'admin' })).toThrow(
      expect.objectContaining({ code: 'MISSING_PARAMETER', parameter: 'password', message: "init: missing required parameter 'password' when authType is basic" }),
    );
  });

  it('a secret that fails validation is not echoed', () => {
    let caught: unknown;
    try {
      h.connector.connect({ serviceNowInstanceURL: h.sim.url, username: 'admin', password: { secret: 'hunter2-value' } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConnectorError);
    expect((caught as ConnectorError).message).toBe("init: parameter 'password' must be a string (got (value hidden))");
    expect(JSON.stringify(caught)).not.toContain('hunter2-value');
  });
});
