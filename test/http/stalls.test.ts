// Connect and body timeouts need a peer that stalls at a precise point, which the simulator has no
// fault for: a TCP server that never answers the TLS handshake, and an HTTP server that stops
// halfway through a body. Both are real servers on 127.0.0.1.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../src/http/index.js';
import { basicSettings, createIncident, listIncidents } from './support/requests.js';

let silent: TcpServer;
let stalling: HttpServer;
const sockets = new Set<Socket>();
let silentUrl: string;
let stallingUrl: string;
let stallingRequests = 0;

beforeAll(async () => {
  silent = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;

  stalling = createHttpServer((req, res) => {
    stallingRequests++;
    sockets.add(req.socket);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"result":[');
  });
  await new Promise<void>((r) => stalling.listen(0, '127.0.0.1', r));
  stallingUrl = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
  stalling.closeAllConnections();
  await new Promise((r) => stalling.close(r));
});

describe('stalled peers', () => {
  it('a TLS handshake that never completes is a connect TIMEOUT, and even a POST is retried (nothing was sent)', async () => {
    const transport = new Transport(basicSettings(silentUrl, { timeouts: { connectMs: 100 }, retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } }));
    try {
      const err = await transport.send(createIncident({ short_description: 'never sent' })).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TIMEOUT', operation: 'postRecord' });
      expect((err as Error).message).toBe('postRecord: connect timeout (after 2 attempts)');
    } finally {
      await transport.close();
    }
  });

  it('a body that stops arriving is a body TIMEOUT for a GET, after its retries', async () => {
    const transport = new Transport(basicSettings(stallingUrl, { timeouts: { bodyMs: 100 }, retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } }));
    try {
      stallingRequests = 0;
      const err = await transport.send(listIncidents()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TIMEOUT', operation: 'getRecords' });
      expect((err as Error).message).toMatch(/body stalled beyond the body timeout \(after 2 attempts\)/);
      expect(stallingRequests).toBe(2);
    } finally {
      await transport.close();
    }
  });

  it('a POST whose response body stalls is OUTCOME_UNKNOWN and sent only once', async () => {
    const transport = new Transport(basicSettings(stallingUrl, { timeouts: { bodyMs: 100 } }));
    try {
      stallingRequests = 0;
      await expect(transport.send(createIncident({ short_description: 'x' }))).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
      expect(stallingRequests).toBe(1);
    } finally {
      await transport.close();
    }
  });
});
