// No secret ever leaves through a log line, an error message, an error's JSON or anything reachable
// from a thrown object. Drives every failure path of the transport and auth with distinctive secrets
// and scans everything they produced.
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport, type ConnectionSettings, type OutgoingRequest } from '../../src/http/index.js';
import type { Logger } from '../../src/logger.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { createIncident, listIncidents } from '../http/support/requests.js';

const USER_PASSWORD = 'pw-SCAN-user-4821';
const CLIENT_SECRET = 'cs-SCAN-client-7730';
const REFRESH_TOKEN = 'rt-SCAN-refresh-0192';
const PROXY_PASSWORD = 'px-SCAN-proxy-5561';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KEY_BODY = PRIVATE_KEY.split('\n')[1];

const SECRETS = [USER_PASSWORD, CLIENT_SECRET, REFRESH_TOKEN, PROXY_PASSWORD, KEY_BODY, Buffer.from(`scan-user:${USER_PASSWORD}`).toString('base64')];
/** The simulator's tokens are 64 base64url characters; nothing we print should hold such a run. */
const TOKEN_LIKE = /[A-Za-z0-9_-]{60,}/;

let sim: RunningSimulator;
const logs: string[] = [];
const logger: Logger = { log: (level, message, fields) => logs.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`) };
const thrown: unknown[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    users: [{ userName: 'scan-user', password: USER_PASSWORD }],
    oauthClients: [{ clientId: 'scan-client', clientSecret: CLIENT_SECRET, grants: ['password', 'refresh_token', 'client_credentials', 'jwt_bearer'], clientCredentialsUser: 'scan-user', jwtVerifier: { kid: 'other-kid', publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() } }],
  });
});
afterAll(async () => {
  await sim.close();
});

async function exercise(settings: ConnectionSettings, requests: OutgoingRequest[], before?: () => void): Promise<void> {
  let transport: Transport;
  try {
    transport = new Transport(settings, { logger });
  } catch (err) {
    thrown.push(err);
    return;
  }
  try {
    for (const req of requests) {
      before?.();
      try {
        const res = await transport.send(req);
        logs.push(`response ${res.status} ${res.body}`);
      } catch (err) {
        thrown.push(err);
      }
    }
  } finally {
    sim.configure({ nextFaults: [], latency: { fixedMs: 0, jitterMs: 0 } });
    await transport.close();
  }
}

const retry = { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 };
const basic = (baseUrl: string, password = USER_PASSWORD): ConnectionSettings => ({ baseUrl, auth: { type: 'basic', username: 'scan-user', password }, retry });
const oauth = (auth: Partial<Extract<ConnectionSettings['auth'], { type: 'oauth2' }>>): ConnectionSettings => ({
  baseUrl: sim.url,
  auth: { type: 'oauth2', grant: 'password', clientId: 'scan-client', clientSecret: CLIENT_SECRET, username: 'scan-user', password: USER_PASSWORD, ...auth },
  retry,
});

describe('secrets scan', () => {
  it('finds no secret in any log line, error message, error JSON or thrown object', async () => {
    // Basic: faults on reads and creates, a wrong password, an unreachable host, a URL with credentials.
    await exercise(basic(sim.url), [listIncidents(), createIncident({ short_description: 'scan' }), listIncidents()], () =>
      sim.configure({ nextFaults: ['resetAfterCommit', 'status503', 'cancelledTransaction'] }),
    );
    await exercise(basic(sim.url, `wrong-${USER_PASSWORD}`), [listIncidents()]);
    await exercise(basic('http://127.0.0.1:1'), [listIncidents(), createIncident({ short_description: 'scan' })]);
    await exercise(basic(`http://scan-user:${USER_PASSWORD}@127.0.0.1:1`), [listIncidents()]);
    await exercise(basic(`not a url ${USER_PASSWORD}`), [listIncidents()]);
    await exercise({ ...basic(sim.url), timeouts: { deadlineMs: 50 } }, [listIncidents()], () => sim.configure({ latency: { fixedMs: 300, jitterMs: 0 } }));
    await exercise({ ...basic(sim.url), proxyUrl: `http://proxyuser:${PROXY_PASSWORD}@127.0.0.1:1` }, [listIncidents()]);

    // OAuth: every grant succeeding, refresh on 401, and refusals of every kind.
    await exercise(oauth({}), [listIncidents(), listIncidents()], () => sim.expireTokens());
    await exercise(oauth({ grant: 'client_credentials' }), [listIncidents()]);
    await exercise(oauth({ clientSecret: `bad-${CLIENT_SECRET}` }), [listIncidents()]);
    await exercise(oauth({ password: `bad-${USER_PASSWORD}` }), [listIncidents()]);
    await exercise(oauth({ grant: 'refresh_token', refreshToken: REFRESH_TOKEN }), [listIncidents()]);
    await exercise(oauth({ grant: 'jwt_bearer', privateKey: PRIVATE_KEY, keyId: 'wrong-kid', jwtSubject: 'scan-user' }), [listIncidents()]);
    await exercise(oauth({ grant: 'jwt_bearer', privateKey: `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----`, keyId: 'k', jwtSubject: 'scan-user' }), [listIncidents()]);
    await exercise(oauth({ tokenUrl: `http://scan-client:${CLIENT_SECRET}@127.0.0.1:1/oauth_token.do?client_secret=${CLIENT_SECRET}` }), [listIncidents()]);

    expect(thrown.length).toBeGreaterThanOrEqual(10);
    expect(logs.length).toBeGreaterThan(5);
    const outputs = [
      ...logs,
      ...thrown.flatMap((err) => [String(err), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })]),
    ];
    for (const text of outputs) {
      for (const secret of SECRETS) expect(text, 'a secret leaked').not.toContain(secret);
      expect(text, 'something token-like leaked').not.toMatch(TOKEN_LIKE);
    }
  });
});
