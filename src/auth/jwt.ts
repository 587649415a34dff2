// A JWT for the OAuth 2.0 JWT bearer grant (RFC 7523), signed RS256 with node:crypto: no JOSE dependency
// for one header, one payload and one signature.
import { createPrivateKey, createSign, randomUUID, type KeyObject } from 'node:crypto';
import { ConnectorError } from '../errors.js';

export interface JwtClaimsInput {
  issuer: string;
  subject: string;
  audience: string;
  /** Lifetime of the assertion itself (not of the access token), seconds. */
  lifetimeSec?: number;
}

/** Parses the PEM once; the error never repeats the key's text. */
export function loadPrivateKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch {
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      parameter: 'privateKey',
      message: 'init: privateKey is not a readable PEM RSA private key (the JWT bearer grant signs with RS256)',
    });
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function signJwt(key: KeyObject, keyId: string, input: JwtClaimsInput, nowSec: number = Math.floor(Date.now() / 1000)): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keyId }));
  const payload = base64url(
    JSON.stringify({
      iss: input.issuer,
      sub: input.subject,
      aud: input.audience,
      iat: nowSec,
      exp: nowSec + (input.lifetimeSec ?? 300),
      jti: randomUUID(),
    }),
  );
  const signingInput = `${header}.${payload}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key).toString('base64url');
  return `${signingInput}.${signature}`;
}
