// The init operation's declared mapping drives the transport: basic by default, OAuth when asked; connections
// opened with the same configuration share one pooled transport.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import { DEMO_CLIENT } from '../../src/simulator/index.js';
import { rowsOf, useSimulator } from './support.js';

const h = useSimulator();
beforeEach(() => h.sim.clearRequests());

describe('connections', () => {
  it('authType defaults to basic', async () => {
    await h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 });
    expect(h.apiRequests()[0]!.headers['authorization']).toBe('Basic ***');
  });

  it('authType=oauth2 with the password grant gets a bearer token through the declared settings', async () => {
    const before = h.sim.stats().tokenRequests['password'] ?? 0;
    const conn = h.connect({ authType: 'oauth2', grantType: 'password', clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret });
    const res = await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 });
    expect(rowsOf(res.payload)).toHaveLength(1);
    expect(h.sim.stats().tokenRequests['password']).toBe(before + 1);
    expect(h.apiRequests().find((r) => r.path.startsWith('/api/now/table/'))!.headers['authorization']).toBe('Bearer ***');
  });

  it('authType=oauth2 with client_credentials needs no user', async () => {
    const conn = h.connector.connect({
      serviceNowInstanceURL: h.sim.url,
      authType: 'oauth2',
      grantType: 'client_credentials',
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
    });
    const res = await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 });
    expect(res.status).toBe(200);
    await conn.close();
  });

  it('oauth2 needs a clientId', () => {
    expect(() => h.connector.connect({ serviceNowInstanceURL: h.sim.url, authType: 'oauth2' })).toThrow(
      expect.objectContaining({ code: 'MISSING_PARAMETER', parameter: 'clientId', message: "init: missing required parameter 'clientId' when authType is oauth2" }),
    );
  });

  it('a trailing slash on the instance URL is dropped', async () => {
    const conn = h.connect({ serviceNowInstanceURL: `${h.sim.url}/` });
    await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 });
    expect(h.apiRequests()[0]!.path).toBe('/api/now/table/incident');
  });

  it('connections with the same configuration share a transport; closing one leaves the other working', async () => {
    const params = h.initParams({ maxConcurrency: 7 });
    const a = h.connector.connect(params);
    const b = h.connector.connect({ ...params });
    await a.close();
    await a.close();
    const res = await b.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 });
    expect(res.status).toBe(200);
    const err = await a.invoke('getRecords', { tableName: 'incident' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ code: 'CONNECTION_ERROR', message: 'getRecords: the connection is closed' });
    await b.close();
    const c = h.connector.connect(params);
    expect((await c.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 })).status).toBe(200);
    await c.close();
  });
});
