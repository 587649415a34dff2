// examples/ served as a folder (every flow loads together), and the incident intake API's WSO2-style error
// handling: 201/200 on success, 400 on bad input, 404 from an empty lookup, 502 when ServiceNow refuses (HTTP_SC
// branch), 503 when it cannot be reached (faultSequence).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedUrl } from '../support/mock-backend.js';
import { call, startServeHarness, type ServeHarness } from './support.js';

const examples = join(import.meta.dirname, '..', '..', 'examples');
let h: ServeHarness;
beforeAll(async () => {
  h = await startServeHarness();
});
afterAll(() => h.close());

describe('examples/ under serve', () => {
  it('the intake API creates and reads incidents, and answers 400 and 404 itself', async () => {
    const sources = await h.fixtures(examples);
    expect(sources.map((s) => s.file.split(/[\\/]/).pop())).toContain('incident-intake-api.xml');
    const server = await h.serve(sources, { properties: { serviceNowInstanceURL: h.sim.url, username: 'admin', password: 'admin' } });
    const created = await call(`${server.url}/intake/incidents`, { json: { shortDescription: 'VPN down', category: 'network' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/intake/incidents/${created.json.number}`);
    const read = await call(`${server.url}${created.json.link}`);
    expect(read).toMatchObject({ status: 200, json: { number: created.json.number, shortDescription: 'VPN down', sysId: created.json.sysId } });
    expect(await call(`${server.url}/intake/incidents`, { json: { category: 'network' } })).toMatchObject({ status: 400, json: { error: { message: 'shortDescription is required' } } });
    expect((await call(`${server.url}/intake/incidents/INC9999999`)).status).toBe(404);
  });

  it('ServiceNow refusing (401) takes the HTTP_SC branch: 502 with its message; unreachable goes to the faultSequence: 503', async () => {
    const sources = await h.fixtures(join(examples, 'incident-intake-api.xml'));
    const refused = await h.serve(sources, { properties: { serviceNowInstanceURL: h.sim.url, username: 'admin', password: 'wrong-password-42' } });
    const res = await call(`${refused.url}/intake/incidents`, { json: { shortDescription: 'x' } });
    expect(res.status).toBe(502);
    expect(res.json.error.servicenowStatus).toBe(401);
    expect(res.text).not.toContain('wrong-password-42');
    const down = await h.serve(sources, { properties: { serviceNowInstanceURL: await refusedUrl(), username: 'admin', password: 'admin' } });
    const res2 = await call(`${down.url}/intake/incidents`, { json: { shortDescription: 'x' } });
    expect(res2.status).toBe(503);
    expect(res2.json.error.code).toBe('CONNECTION_ERROR');
  });
});
