import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call } from './http.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'test-key-1';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    oauthClients: [
      { clientId: 'jwt-client', clientSecret: 'jwt-secret', grants: ['jwt_bearer'], jwtVerifier: { kid: KID, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() } },
      { clientId: 'no-cc', clientSecret: 'no-cc-secret', grants: ['password', 'refresh_token'] },
    ],
  });
});
afterAll(() => sim.close());

const token = (form: Record<string, string>) =>
  call(sim.url, '/oauth_token.do', { method: 'POST', auth: null, raw: new URLSearchParams(form).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });

const demo = { client_id: 'snconnect-demo', client_secret: 'demo-secret' };

function jwt(claims: Record<string, unknown>, kid = KID): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg: 'RS256', typ: 'JWT', kid })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url');
  return `${head}.${signature}`;
}

describe('Basic auth', () => {
  it('answers 401 with ServiceNow body and WWW-Authenticate for wrong or missing credentials', async () => {
    for (const auth of [null, 'Basic ' + Buffer.from('admin:wrong').toString('base64'), 'Basic !!!', 'Bearer nope', 'Digest x']) {
      const r = await call(sim.url, '/api/now/table/incident', { auth });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' });
      expect(r.headers.get('www-authenticate')).toBe('BASIC realm="Service-now"');
    }
    sim.configure({ wwwAuthenticate: false });
    try {
      const r = await call(sim.url, '/api/now/table/incident', { auth: null });
      expect(r.headers.get('www-authenticate')).toBeNull();
    } finally {
      sim.configure({ wwwAuthenticate: true });
    }
  });
});

describe('OAuth token endpoint', () => {
  it('password grant issues a bearer token that works, with ServiceNow response fields', async () => {
    const r = await token({ grant_type: 'password', ...demo, username: 'admin', password: 'admin' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 1799, scope: 'useraccount' });
    expect(typeof r.json.access_token).toBe('string');
    expect(typeof r.json.refresh_token).toBe('string');
    const list = await call(sim.url, '/api/now/table/incident?sysparm_limit=1', { auth: `Bearer ${r.json.access_token}` });
    expect(list.status).toBe(200);
  });

  it('refresh_token grant returns a new access token and, by default, the same refresh token; rotation is a switch', async () => {
    const first = await token({ grant_type: 'password', ...demo, username: 'itil', password: 'itil' });
    const refreshed = await token({ grant_type: 'refresh_token', ...demo, refresh_token: first.json.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.access_token).not.toBe(first.json.access_token);
    expect(refreshed.json.refresh_token).toBe(first.json.refresh_token);

    sim.configure({ rotateRefreshTokens: true });
    try {
      const rotated = await token({ grant_type: 'refresh_token', ...demo, refresh_token: first.json.refresh_token });
      expect(rotated.json.refresh_token).not.toBe(first.json.refresh_token);
      const reused = await token({ grant_type: 'refresh_token', ...demo, refresh_token: first.json.refresh_token });
      expect(reused.status).toBe(401);
    } finally {
      sim.configure({ rotateRefreshTokens: false });
    }
  });

  it('client_credentials grant works for the demo client, has no refresh token, and is refused where not enabled', async () => {
    const r = await token({ grant_type: 'client_credentials', ...demo });
    expect(r.status).toBe(200);
    expect(r.json.refresh_token).toBeUndefined();
    const list = await call(sim.url, '/api/now/table/sys_db_object?sysparm_limit=1', { auth: `Bearer ${r.json.access_token}` });
    expect(list.status).toBe(200);
    const refused = await token({ grant_type: 'client_credentials', client_id: 'no-cc', client_secret: 'no-cc-secret' });
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ error_description: 'access_denied', error: 'server_error' });
  });

  it('JWT bearer grant verifies an RS256 assertion against the client key and kid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const form = { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', client_id: 'jwt-client', client_secret: 'jwt-secret' };
    const ok = await token({ ...form, assertion: jwt({ sub: 'admin', aud: 'jwt-client', iss: 'jwt-client', exp: now + 300 }) });
    expect(ok.status).toBe(200);
    expect(ok.json.refresh_token).toBeUndefined();
    const list = await call(sim.url, '/api/now/table/incident?sysparm_limit=1', { auth: `Bearer ${ok.json.access_token}` });
    expect(list.status).toBe(200);
    for (const bad of [
      jwt({ sub: 'admin', aud: 'jwt-client', exp: now - 10 }),
      jwt({ sub: 'admin', aud: 'someone-else', exp: now + 300 }),
      jwt({ sub: 'nobody', aud: 'jwt-client', exp: now + 300 }),
      jwt({ sub: 'admin', aud: 'jwt-client', exp: now + 300 }, 'other-kid'),
      jwt({ sub: 'admin', aud: 'jwt-client', exp: now + 300 }).replace(/\.[^.]+$/, '.AAAA'),
      'not-a-jwt',
    ]) {
      const r = await token({ ...form, assertion: bad });
      expect(r.status).toBe(401);
      expect(r.json.error_description).toBe('access_denied');
    }
  });

  it('refuses bad clients, bad users, bad refresh tokens and unknown grants', async () => {
    const badClient = await token({ grant_type: 'password', client_id: 'snconnect-demo', client_secret: 'nope', username: 'admin', password: 'admin' });
    expect(badClient.status).toBe(401);
    expect(badClient.json).toEqual({ error_description: 'access_denied', error: 'invalid_client' });
    const badUser = await token({ grant_type: 'password', ...demo, username: 'admin', password: 'nope' });
    expect(badUser.status).toBe(401);
    expect(badUser.json).toEqual({ error_description: 'access_denied', error: 'server_error' });
    const badRefresh = await token({ grant_type: 'refresh_token', ...demo, refresh_token: 'nope' });
    expect(badRefresh.status).toBe(401);
    const unknown = await token({ grant_type: 'magic', ...demo });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toBe('unsupported_grant_type');
  });

  it('access tokens expire: after their lifetime (configurable) and on expireTokens()', async () => {
    sim.configure({ accessTokenLifetimeSeconds: 0.2 });
    try {
      const short = await token({ grant_type: 'password', ...demo, username: 'admin', password: 'admin' });
      expect(short.json.expires_in).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      const expired = await call(sim.url, '/api/now/table/incident?sysparm_limit=1', { auth: `Bearer ${short.json.access_token}` });
      expect(expired.status).toBe(401);
      expect(expired.json.error.message).toBe('User Not Authenticated');
    } finally {
      sim.configure({ accessTokenLifetimeSeconds: 1799 });
    }

    const t = await token({ grant_type: 'password', ...demo, username: 'admin', password: 'admin' });
    expect((await call(sim.url, '/api/now/table/incident?sysparm_limit=1', { auth: `Bearer ${t.json.access_token}` })).status).toBe(200);
    sim.expireTokens();
    expect((await call(sim.url, '/api/now/table/incident?sysparm_limit=1', { auth: `Bearer ${t.json.access_token}` })).status).toBe(401);
    // The refresh token still works after the access token expired.
    const again = await token({ grant_type: 'refresh_token', ...demo, refresh_token: t.json.refresh_token });
    expect((await call(sim.url, '/api/now/table/incident?sysparm_limit=1', { auth: `Bearer ${again.json.access_token}` })).status).toBe(200);
  });

  it('counts token requests per grant and never logs secrets', async () => {
    sim.resetStats();
    sim.clearRequests();
    await token({ grant_type: 'password', ...demo, username: 'admin', password: 'admin' });
    await token({ grant_type: 'client_credentials', ...demo });
    await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(sim.stats().tokenRequests).toEqual({ password: 1, client_credentials: 1 });
    const log = JSON.stringify(sim.requests());
    expect(log).not.toContain('demo-secret');
    expect(log).not.toContain('password=admin');
    expect(log).not.toContain(Buffer.from('admin:admin').toString('base64'));
    expect(sim.requests()[2].headers.authorization).toBe('Basic ***');
  });
});
