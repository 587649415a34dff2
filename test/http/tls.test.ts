// TLS towards the instance: verification on by default, a private CA bundle, an explicit opt-out with a
// warning, and mutual TLS. A local https server on 127.0.0.1 with a CA made for the test stands in for
// an instance behind a corporate CA (the simulator speaks plain HTTP).
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport, type ConnectionSettings, type OutgoingRequest } from '../../src/http/index.js';
import type { LogLevel, Logger } from '../../src/logger.js';
import { makeTlsFixtures, opensslAvailable, type TlsFixtures } from './support/tls-fixtures.js';
import { bodyOf } from './support/requests.js';


const get: OutgoingRequest = { operation: 'getRecords', method: 'GET', path: '/api/now/table/incident', query: [], headers: {}, idempotent: true };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function answerWithPeer(server: Server): void {
  server.on('request', (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ result: { clientCertificate: peer && peer.subject ? peer.subject.CN : null } }));
  });
}

function settings(baseUrl: string, tls: ConnectionSettings['tls']): ConnectionSettings {
  return { baseUrl, auth: { type: 'basic', username: 'admin', password: 'admin' }, tls, retry: { maxRetries: 1, initialDelayMs: 1 } };
}

describe('TLS', () => {
  let pki: TlsFixtures;
  let server: Server;
  let mtlsServer: Server;
  let url: string;
  let mtlsUrl: string;

  beforeAll(async () => {
    // A missing tool fails the file (npm test counts it) rather than skipping it unseen; .ci/run installs openssl.
    if (!opensslAvailable()) throw new Error('tls.test.ts needs the openssl command to make its test certificates: install it (Debian: apt-get install -y openssl)');
    pki = makeTlsFixtures();
    server = createServer({ cert: pki.serverCert, key: pki.serverKey });
    answerWithPeer(server);
    url = await listen(server);
    mtlsServer = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: true });
    answerWithPeer(mtlsServer);
    mtlsUrl = await listen(mtlsServer);
  });

  afterAll(async () => {
    server?.closeAllConnections();
    mtlsServer?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await new Promise((r) => mtlsServer?.close(r));
  });

  it('refuses a certificate from an unknown CA by default, without retrying it', async () => {
    const transport = new Transport(settings(url, undefined));
    try {
      const err = await transport.send(get).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONNECTION_ERROR', operation: 'getRecords' });
      expect((err as Error).message).toMatch(/TLS handshake failed/);
      expect(transport.stats().retries).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it('trusts a private CA given as a PEM bundle', async () => {
    const transport = new Transport(settings(url, { ca: pki.caCert }));
    try {
      const res = await transport.send(get);
      expect(res.status).toBe(200);
      expect(bodyOf(res)).toEqual({ result: { clientCertificate: null } });
    } finally {
      await transport.close();
    }
  });

  it('skips verification only when explicitly told to, and warns through the logger', async () => {
    const lines: { level: LogLevel; message: string }[] = [];
    const logger: Logger = { log: (level, message) => lines.push({ level, message }) };
    const transport = new Transport(settings(url, { rejectUnauthorized: false }), { logger });
    try {
      expect((await transport.send(get)).status).toBe(200);
      expect(lines.some((l) => l.level === 'warn' && /verification is turned OFF/.test(l.message))).toBe(true);
    } finally {
      await transport.close();
    }
  });

  it('presents a client certificate for mutual TLS', async () => {
    const transport = new Transport(settings(mtlsUrl, { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey }));
    try {
      const res = await transport.send(get);
      expect(bodyOf(res)).toEqual({ result: { clientCertificate: 'snconnect-client' } });
    } finally {
      await transport.close();
    }
  });

  it('fails when the server requires a client certificate and none is configured', async () => {
    const transport = new Transport(settings(mtlsUrl, { ca: pki.caCert }));
    try {
      await expect(transport.send(get)).rejects.toMatchObject({ code: 'CONNECTION_ERROR', operation: 'getRecords' });
    } finally {
      await transport.close();
    }
  });
});
