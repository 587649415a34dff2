// undici's own modules (start-up time) and the fallback to its public entry when they move, both over real HTTP.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUndiciParts, sendRequest, undiciParts } from '../../src/http/undici-modules.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const AUTH = 'Basic ' + Buffer.from('admin:admin').toString('base64');
const require = createRequire(import.meta.url);
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

async function readOneIncident(parts: ReturnType<typeof loadUndiciParts>): Promise<unknown> {
  const agent = new parts.Agent({ connections: 1 });
  try {
    const res = await sendRequest(agent, { origin: sim.url, path: '/api/now/table/incident?sysparm_limit=1', method: 'GET', headers: { authorization: AUTH, accept: 'application/json' } });
    expect(res.statusCode).toBe(200);
    return ((await res.body.json()) as { result: unknown[] }).result.length;
  } finally {
    await agent.close();
  }
}

describe('undici parts', () => {
  it("come from undici's own modules with the installed version (a move in undici shows here, not as a failure)", async () => {
    expect(undiciParts().source).toBe('modules');
    expect(await readOneIncident(undiciParts())).toBe(1);
  });

  it('fall back to the public entry when a module cannot be loaded, and requests still work', async () => {
    const parts = loadUndiciParts((id) => {
      if (id.startsWith('undici/')) throw new Error(`Cannot find module '${id}'`);
      return require(id) as unknown;
    });
    expect(parts.source).toBe('entry');
    expect(await readOneIncident(parts)).toBe(1);
    expect(typeof parts.ProxyAgent).toBe('function');
  });

  it('fall back to the public entry when a module is there but is not what it was', () => {
    const parts = loadUndiciParts((id) => (id === 'undici/lib/api/api-request.js' ? { moved: true } : (require(id) as unknown)));
    expect(parts.source).toBe('entry');
  });
});
