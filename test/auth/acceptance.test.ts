// Acceptance of issue 5 through the public API: 200 concurrent getRecords invocations on one
// OAuth (password grant) connection cause exactly one token request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConnector } from '../../src/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

it('200 concurrent getRecords calls with the OAuth password grant cause exactly one token request', async () => {
  const connector = await loadConnector();
  const connection = connector.connect({
    serviceNowInstanceURL: sim.url,
    authType: 'oauth2',
    grantType: 'password',
    clientId: 'snconnect-demo',
    clientSecret: 'demo-secret',
    username: 'admin',
    password: 'admin',
  });
  try {
    const results = await Promise.all(Array.from({ length: 200 }, () => connection.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(sim.stats().tokenRequests).toEqual({ password: 1 });
  } finally {
    await connection.close();
  }
});
