// The transport against the simulator over real HTTP: requests as sent, responses as returned,
// error statuses handed back, connection reuse and the concurrency cap.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../src/http/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { basicSettings, bodyOf, createIncident, getIncident, listIncidents, recordOf } from './support/requests.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe('Transport with Basic auth', () => {
  it('sends a GET with Basic auth and a JSON Accept header and returns the body, left unparsed for the reader', async () => {
    const transport = new Transport(basicSettings(sim.url));
    try {
      sim.clearRequests();
      const res = await transport.send(listIncidents([['sysparm_limit', '2']]));
      expect(res.status).toBe(200);
      expect(res.attempts).toBe(1);
      expect(res.headers['content-type']).toMatch(/json/);
      expect(res.json).toBeUndefined();
      expect((bodyOf(res) as { result: unknown[] }).result).toHaveLength(2);
      const logged = sim.requests().at(-1)!;
      expect(logged.headers.accept).toBe('application/json');
      expect(logged.user).toBe('admin');
    } finally {
      await transport.close();
    }
  });

  it('encodes every query value, so a value holding & and = stays one parameter', async () => {
    const transport = new Transport(basicSettings(sim.url));
    try {
      sim.clearRequests();
      await transport.send(listIncidents([['sysparm_query', 'short_description=a&sysparm_limit=1'], ['sysparm_limit', '3']]));
      const logged = sim.requests().at(-1)!;
      expect(logged.query).toEqual({ sysparm_query: 'short_description=a&sysparm_limit=1', sysparm_limit: '3' });
    } finally {
      await transport.close();
    }
  });

  it('creates, reads, and returns 404 and 401 as responses (the runtime maps the envelope)', async () => {
    const transport = new Transport(basicSettings(sim.url));
    const wrong = new Transport({ ...basicSettings(sim.url), auth: { type: 'basic', username: 'admin', password: 'nope' } });
    try {
      const created = await transport.send(createIncident({ short_description: 'transport test' }));
      expect(created.status).toBe(201);
      const sysId = recordOf(created).sys_id as string;
      const read = await transport.send(getIncident(sysId));
      expect(recordOf(read).short_description).toBe('transport test');

      const missing = await transport.send(getIncident('0'.repeat(32)));
      expect(missing.status).toBe(404);
      expect((bodyOf(missing) as { error: { message: string } }).error.message).toBeTruthy();

      const denied = await wrong.send(listIncidents());
      expect(denied.status).toBe(401);
      expect(denied.attempts).toBe(1);
    } finally {
      await transport.close();
      await wrong.close();
    }
  });

  it('reuses keep-alive connections and never opens more than maxConcurrency sockets', async () => {
    const opened: unknown[] = [];
    const onConnected = (message: unknown): void => {
      opened.push(message);
    };
    subscribe('undici:client:connected', onConnected);
    const transport = new Transport(basicSettings(sim.url, { maxConcurrency: 4 }));
    try {
      sim.configure({ latency: { fixedMs: 2, jitterMs: 0 } });
      const results = await Promise.all(Array.from({ length: 200 }, () => transport.send(listIncidents([['sysparm_limit', '1']]))));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(opened.length).toBeGreaterThan(0);
      expect(opened.length).toBeLessThanOrEqual(4);
    } finally {
      sim.configure({ latency: { fixedMs: 0, jitterMs: 0 } });
      unsubscribe('undici:client:connected', onConnected);
      await transport.close();
    }
  });

  it('streams a body with open() and counts attempts up to the headers', async () => {
    const transport = new Transport(basicSettings(sim.url));
    try {
      sim.configure({ nextFaults: ['status503'] });
      const res = await transport.open(listIncidents([['sysparm_limit', '3']]));
      expect(res.status).toBe(200);
      expect(res.attempts).toBe(2);
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      expect((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result: unknown[] }).result).toHaveLength(3);
    } finally {
      await transport.close();
    }
  });

  it('rejects a base URL that is not absolute, naming the setting', () => {
    expect(() => new Transport(basicSettings('dev1234.service-now.com'))).toThrowError(expect.objectContaining({ code: 'INVALID_PARAMETER', parameter: 'baseUrl' }));
  });

  it('refuses requests after close()', async () => {
    const transport = new Transport(basicSettings(sim.url));
    await transport.close();
    await expect(transport.send(listIncidents())).rejects.toMatchObject({ code: 'CONNECTION_ERROR', operation: 'getRecords' });
  });

  it('a create whose header undici would refuse is reported as not sent, never as an unknown outcome', async () => {
    const transport = new Transport(basicSettings(sim.url));
    try {
      sim.clearRequests();
      const badValue = createIncident({ short_description: 'x' });
      badValue.headers['X-Note'] = 'a\r\nX-Injected: 1';
      await expect(transport.send(badValue)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/x-note header.*U\+000D.*nothing was sent/) });
      // A header name undici refuses (its own check): classified as never sent, not retried.
      const badName = createIncident({ short_description: 'x' });
      badName.headers['X Bad Name'] = '1';
      const err = await transport.send(badName).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONNECTION_ERROR', message: expect.stringMatching(/nothing was sent/) });
      expect(transport.stats()).toMatchObject({ requests: 2, attempts: 2, retries: 0, outcomeUnknown: 0 });
      expect(sim.requests()).toEqual([]);
    } finally {
      await transport.close();
    }
  });

  it('previews a request exactly as send() puts it on the wire', async () => {
    const transport = new Transport(basicSettings(sim.url + '/'));
    try {
      const req = listIncidents([['sysparm_query', 'a=b&c'], ['sysparm_limit', '1']]);
      const preview = transport.preview(req);
      expect(preview.url).toBe(`${sim.url}/api/now/table/incident?sysparm_query=a%3Db%26c&sysparm_limit=1`);
      expect(preview.headers).toEqual({ accept: 'application/json', authorization: 'Basic ***' });
      sim.clearRequests();
      await transport.send(req);
      const sent = sim.requests()[0]!;
      expect(`${sim.url}${sent.path}?${new URLSearchParams(sent.query).toString()}`).toBe(preview.url);
    } finally {
      await transport.close();
    }
  });
});
