// HTTP failures become typed errors that keep ServiceNow's message and detail, and land in the context.
import { afterEach, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { ConnectorError } from '../../src/errors.js';
import { useSimulator } from './support.js';

const h = useSimulator();
afterEach(() => h.sim.configure({ rateLimit: null, nextFaults: [] }));

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

const MISSING = 'ffffffffffffffffffffffffffffffff';

describe('error mapping', () => {
  it('400 Invalid table -> SERVICENOW_ERROR with ServiceNow\'s message, not retryable', async () => {
    const err = await failure(h.conn.invoke('getRecords', { tableName: 'no_such_table' }));
    expect(err).toMatchObject({ code: 'SERVICENOW_ERROR', status: 400, retryable: false, operation: 'getRecords' });
    expect(err.message).toBe('getRecords: ServiceNow answered 400: Invalid table no_such_table');
  });

  it('401 -> AUTH_FAILED', async () => {
    const conn = h.connect({ password: 'wrong-password' });
    const err = await failure(conn.invoke('getRecords', { tableName: 'incident' }));
    expect(err).toMatchObject({ code: 'AUTH_FAILED', status: 401, retryable: false });
    expect(err.message).toMatch(/^getRecords: ServiceNow answered 401: /);
  });

  it('403 -> FORBIDDEN for a restricted user on an admin-only table', async () => {
    const conn = h.connect({ username: 'itil', password: 'itil' });
    const err = await failure(conn.invoke('getRecords', { tableName: 'sys_transform_map' }));
    expect(err).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(err.message).toContain('User Not Authorized');
  });

  it('404 -> NOT_FOUND with ServiceNow\'s message and detail', async () => {
    const err = await failure(h.conn.invoke('getRecordById', { tableName: 'incident', sysId: MISSING }));
    expect(err).toMatchObject({ code: 'NOT_FOUND', status: 404, operation: 'getRecordById' });
    expect(err.message).toBe('getRecordById: ServiceNow answered 404: No Record found');
    expect(err.detail).toBe("Record doesn't exist or ACL restricts the record retrieval");
    expect(err.toJSON()).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('429 -> RATE_LIMITED, retryable', async () => {
    h.sim.configure({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const conn = h.connect({ username: 'itil', password: 'itil' });
    await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 });
    const err = await failure(conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 }));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryable: true });
  });

  it('500 -> SERVICENOW_ERROR, retryable', async () => {
    h.sim.configure({ nextFaults: ['status500'] });
    const err = await failure(h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 }));
    expect(err).toMatchObject({ code: 'SERVICENOW_ERROR', status: 500, retryable: true });
  });

  it('a 200 whose body is cut (cancelled transaction) is a retryable failure, not a payload', async () => {
    h.sim.configure({ nextFaults: ['cancelledTransaction'] });
    const err = await failure(h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 }));
    expect(err.retryable).toBe(true);
    expect(err.code).toBe('SERVICENOW_ERROR');
  });

  it('sets ERROR_CODE, ERROR_MESSAGE, ERROR_DETAIL and HTTP_SC on the context', async () => {
    const ctx = new MessageContext({ payload: { keep: true } });
    const err = await failure(h.conn.invoke('getRecordById', { tableName: 'incident', sysId: MISSING }, { context: ctx }));
    expect(ctx.getProperty('ERROR_CODE')).toBe('NOT_FOUND');
    expect(ctx.getProperty('ERROR_MESSAGE')).toBe(err.message);
    expect(ctx.getProperty('ERROR_DETAIL')).toBe(err.detail ?? '');
    expect(ctx.getProperty('HTTP_SC', 'axis2')).toBe(404);
    expect(ctx.payload).toEqual({ keep: true });
  });

  it('an unknown operation is an error naming the operations', async () => {
    const err = await failure(h.conn.invoke('getRecordz', { tableName: 'incident' }));
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.message).toContain("unknown operation 'getRecordz'");
    expect(err.message).toContain('getRecords');
  });
});
