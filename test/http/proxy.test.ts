// Outbound proxies: an explicit proxyUrl, and HTTP_PROXY / NO_PROXY from the environment.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../src/http/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { startConnectProxy, type TestProxy } from './support/connect-proxy.js';
import { basicSettings, listIncidents } from './support/requests.js';

let sim: RunningSimulator;
let proxy: TestProxy;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  proxy = await startConnectProxy();
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
});
afterEach(() => {
  for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  proxy.tunnels.length = 0;
  proxy.proxyAuthorizations.length = 0;
});

const target = (): string => new URL(sim.url).host;

describe('proxy', () => {
  it('tunnels through proxyUrl, sending proxy credentials to the proxy only', async () => {
    const proxied = proxy.url.replace('http://', 'http://proxyuser:proxypass@');
    const transport = new Transport(basicSettings(sim.url, { proxyUrl: proxied }));
    try {
      sim.clearRequests();
      const res = await transport.send(listIncidents());
      expect(res.status).toBe(200);
      expect(proxy.tunnels).toContain(target());
      expect(proxy.proxyAuthorizations[0]).toBe('Basic ' + Buffer.from('proxyuser:proxypass').toString('base64'));
      expect(sim.requests().at(-1)!.headers['proxy-authorization']).toBeUndefined();
    } finally {
      await transport.close();
    }
  });

  it('streams a response through proxyUrl (the path every page of a read takes)', async () => {
    const transport = new Transport(basicSettings(sim.url, { proxyUrl: proxy.url }));
    try {
      const res = await transport.open(listIncidents());
      expect(res.status).toBe(200);
      let text = '';
      for await (const chunk of res.body) text += (chunk as Buffer).toString('utf8');
      expect(Array.isArray((JSON.parse(text) as { result: unknown }).result)).toBe(true);
      expect(proxy.tunnels).toContain(target());
    } finally {
      await transport.close();
    }
  });

  it('uses HTTP_PROXY from the environment when no proxyUrl is set', async () => {
    process.env.HTTP_PROXY = proxy.url;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const transport = new Transport(basicSettings(sim.url));
    try {
      expect((await transport.send(listIncidents())).status).toBe(200);
      expect(proxy.tunnels).toContain(target());
    } finally {
      await transport.close();
    }
  });

  it('goes direct for hosts listed in NO_PROXY', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '127.0.0.1';
    const transport = new Transport(basicSettings(sim.url));
    try {
      expect((await transport.send(listIncidents())).status).toBe(200);
      expect(proxy.tunnels).toHaveLength(0);
    } finally {
      await transport.close();
    }
  });

  it('a proxy that cannot be reached is a CONNECTION_ERROR naming the operation', async () => {
    const transport = new Transport(basicSettings(sim.url, { proxyUrl: 'http://127.0.0.1:1', retry: { maxRetries: 0 } }));
    try {
      const err = await transport.send(listIncidents()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONNECTION_ERROR', operation: 'getRecords' });
      expect((err as Error).message).toBe('getRecords: connection refused');
    } finally {
      await transport.close();
    }
  });
});
