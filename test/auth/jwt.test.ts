import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadPrivateKey, signJwt } from '../../src/auth/jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('JWT bearer assertion', () => {
  it('is an RS256 JWT with kid, iss, sub, aud, iat, exp, jti that the public key verifies', () => {
    const jwt = signJwt(loadPrivateKey(privatePem), 'key-1', { issuer: 'client-a', subject: 'admin', audience: 'client-a' }, 1_700_000_000);
    const [header, payload, signature] = jwt.split('.');
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-1' });
    const claims = decode(payload);
    expect(claims).toMatchObject({ iss: 'client-a', sub: 'admin', aud: 'client-a', iat: 1_700_000_000, exp: 1_700_000_300 });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const ok = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(ok).toBe(true);
  });

  it('gives every assertion its own jti', () => {
    const key = loadPrivateKey(privatePem);
    const a = decode(signJwt(key, 'k', { issuer: 'c', subject: 's', audience: 'c' }).split('.')[1]);
    const b = decode(signJwt(key, 'k', { issuer: 'c', subject: 's', audience: 'c' }).split('.')[1]);
    expect(a.jti).not.toBe(b.jti);
  });

  it('rejects a key that is not a PEM RSA private key without echoing it', () => {
    const secretLooking = '-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETSECRET\n-----END PRIVATE KEY-----';
    let caught: unknown;
    try {
      loadPrivateKey(secretLooking);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'privateKey' });
    expect(JSON.stringify(caught) + String(caught)).not.toContain('SECRETSECRET');
  });
});
