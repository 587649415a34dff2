// OAuth 2.0 end to end against the simulator's /oauth_token.do: each grant, the shared token cache,
// renewal before expiry, refresh on 401, and refused credentials.
import { generateKeyPairSync } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Transport, type AuthSettings, type ConnectionSettings } from '../../src/http/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { listIncidents } from '../http/support/requests.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    oauthClients: [{ clientId: 'jwt-app', clientSecret: 'jwt-app-secret', grants: ['jwt_bearer'], jwtVerifier: { kid: 'test-key-1', publicKeyPem: publicPem } }],
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.configure({ accessTokenLifetimeSeconds: 1799, refreshTokenLifetimeSeconds: 8_640_000, latency: { fixedMs: 0, jitterMs: 0 } });
  sim.resetStats();
});

const demo = { clientId: 'snconnect-demo', clientSecret: 'demo-secret' };

function oauth(auth: Partial<Extract<AuthSettings, { type: 'oauth2' }>> & { grant: Extract<AuthSettings, { type: 'oauth2' }>['grant'] }): ConnectionSettings {
  return { baseUrl: sim.url, auth: { type: 'oauth2', ...demo, ...auth }, retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 } };
}

function tokenRequests(): Record<string, number> {
  return sim.stats().tokenRequests;
}

function totalTokenRequests(): number {
  return Object.values(tokenRequests()).reduce((a, b) => a + b, 0);
}

async function withTransport<T>(settings: ConnectionSettings, body: (t: Transport) => Promise<T>): Promise<T> {
  const transport = new Transport(settings);
  try {
    return await body(transport);
  } finally {
    await transport.close();
  }
}

describe('grants end to end', () => {
  it('password grant', async () => {
    await withTransport(oauth({ grant: 'password', username: 'admin', password: 'admin' }), async (t) => {
      const res = await t.send(listIncidents());
      expect(res.status).toBe(200);
      expect(tokenRequests()).toEqual({ password: 1 });
      expect(sim.requests().at(-1)!.user).toBe('admin');
    });
  });

  it('client_credentials grant (acts as the application user)', async () => {
    await withTransport(oauth({ grant: 'client_credentials' }), async (t) => {
      expect((await t.send(listIncidents())).status).toBe(200);
      expect(tokenRequests()).toEqual({ client_credentials: 1 });
    });
  });

  it('refresh_token grant with a refresh token obtained beforehand', async () => {
    const issued = await request(`${sim.url}/oauth_token.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: demo.clientId, client_secret: demo.clientSecret, username: 'itil', password: 'itil' }).toString(),
    });
    const refreshToken = ((await issued.body.json()) as { refresh_token: string }).refresh_token;
    sim.resetStats();
    await withTransport(oauth({ grant: 'refresh_token', refreshToken }), async (t) => {
      expect((await t.send(listIncidents())).status).toBe(200);
      expect(tokenRequests()).toEqual({ refresh_token: 1 });
      expect(sim.requests().at(-1)!.user).toBe('itil');
    });
  });

  it('JWT bearer grant with an RS256 assertion signed by our key', async () => {
    const settings: ConnectionSettings = {
      baseUrl: sim.url,
      auth: { type: 'oauth2', grant: 'jwt_bearer', clientId: 'jwt-app', clientSecret: 'jwt-app-secret', privateKey: privatePem, keyId: 'test-key-1', jwtSubject: 'itil' },
    };
    await withTransport(settings, async (t) => {
      expect((await t.send(listIncidents())).status).toBe(200);
      expect(tokenRequests()).toEqual({ jwt_bearer: 1 });
      expect(sim.requests().at(-1)!.user).toBe('itil');
    });
  });

  it('an explicit tokenUrl is used instead of the default', async () => {
    await withTransport(oauth({ grant: 'client_credentials', tokenUrl: `${sim.url}/oauth_token.do?from=settings` }), async (t) => {
      expect((await t.send(listIncidents())).status).toBe(200);
      expect(sim.requests().some((r) => r.path === '/oauth_token.do' && r.query.from === 'settings')).toBe(true);
    });
  });
});

describe('token cache', () => {
  it('200 concurrent calls cause exactly one token request', async () => {
    await withTransport({ ...oauth({ grant: 'password', username: 'admin', password: 'admin' }), maxConcurrency: 32 }, async (t) => {
      const results = await Promise.all(Array.from({ length: 200 }, () => t.send(listIncidents([['sysparm_limit', '1']]))));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(totalTokenRequests()).toBe(1);
    });
  });

  it('renews the token before it expires, with the refresh token, so a long run never sees a 401', async () => {
    sim.configure({ accessTokenLifetimeSeconds: 1 });
    await withTransport(oauth({ grant: 'password', username: 'admin', password: 'admin' }), async (t) => {
      // Until the token was renewed twice (counted by the simulator, not by the clock), bounded in calls.
      let calls = 0;
      while ((tokenRequests().refresh_token ?? 0) < 2 && calls < 400) {
        expect((await t.send(listIncidents([['sysparm_limit', '1']]))).status).toBe(200);
        calls++;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(calls).toBeGreaterThan(2);
      expect(tokenRequests().password).toBe(1);
      expect(tokenRequests().refresh_token).toBeGreaterThanOrEqual(2);
      expect(sim.stats().authFailures).toBe(0);
      expect(t.stats().authRefreshes).toBe(0);
    });
  });

  it('on a 401 drops the token, gets a fresh one and repeats the call once', async () => {
    await withTransport(oauth({ grant: 'password', username: 'admin', password: 'admin' }), async (t) => {
      await t.send(listIncidents());
      sim.expireTokens();
      const res = await t.send(listIncidents());
      expect(res.status).toBe(200);
      expect(res.attempts).toBe(2);
      expect(t.stats().authRefreshes).toBe(1);
      expect(tokenRequests()).toEqual({ password: 1, refresh_token: 1 });
    });
  });

  it('a second 401 in a row is final: the 401 is returned for the runtime to report as AUTH_FAILED', async () => {
    // Tokens live 5 ms and API requests are checked after 20 ms of added latency: every Bearer request is refused.
    sim.configure({ accessTokenLifetimeSeconds: 0.005, latency: { fixedMs: 20, jitterMs: 0 } });
    await withTransport(oauth({ grant: 'client_credentials' }), async (t) => {
      const res = await t.send(listIncidents());
      expect(res.status).toBe(401);
      expect(res.attempts).toBe(2);
      expect(totalTokenRequests()).toBe(2);
    });
  });

  it('falls back to the configured grant when the refresh token is no longer accepted', async () => {
    sim.configure({ accessTokenLifetimeSeconds: 1, refreshTokenLifetimeSeconds: 1 });
    await withTransport(oauth({ grant: 'password', username: 'admin', password: 'admin' }), async (t) => {
      await t.send(listIncidents());
      await new Promise((r) => setTimeout(r, 1200));
      expect((await t.send(listIncidents())).status).toBe(200);
      expect(tokenRequests()).toEqual({ password: 2, refresh_token: 1 });
    });
  });
});

describe('refused credentials', () => {
  it('a wrong client secret is AUTH_FAILED naming the operation and the endpoint error, without the secret', async () => {
    await withTransport(oauth({ grant: 'password', clientSecret: 'wrong-client-secret-XYZ', username: 'admin', password: 'admin' }), async (t) => {
      const err = await t.send(listIncidents()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'AUTH_FAILED', operation: 'getRecords', status: 401 });
      expect((err as Error).message).toMatch(/^getRecords: the OAuth password grant was refused by the token endpoint: HTTP 401 \(invalid_client: access_denied\)/);
      expect(JSON.stringify(err) + (err as Error).message).not.toContain('wrong-client-secret-XYZ');
      expect(totalTokenRequests()).toBe(1);
    });
  });

  it('a wrong user password is AUTH_FAILED too, and concurrent callers share the one failed request', async () => {
    await withTransport(oauth({ grant: 'password', username: 'admin', password: 'not-the-password' }), async (t) => {
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => t.send(listIncidents())));
      for (const r of results) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'AUTH_FAILED' } });
      expect(totalTokenRequests()).toBe(1);
    });
  });

  it('missing grant settings are rejected when the connection is made, naming the setting', () => {
    expect(() => new Transport(oauth({ grant: 'password', username: 'admin' }))).toThrowError(expect.objectContaining({ code: 'MISSING_PARAMETER', parameter: 'password' }));
    expect(() => new Transport(oauth({ grant: 'refresh_token' }))).toThrowError(expect.objectContaining({ code: 'MISSING_PARAMETER', parameter: 'refreshToken' }));
    expect(() => new Transport(oauth({ grant: 'jwt_bearer', privateKey: privatePem }))).toThrowError(expect.objectContaining({ code: 'MISSING_PARAMETER', parameter: 'keyId' }));
  });
});
