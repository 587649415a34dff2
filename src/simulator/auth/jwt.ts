// Verifies a JWT bearer assertion (RS256) the way ServiceNow's JWT verifier map does: kid, signature, aud, exp, sub.
import { createPublicKey, verify } from 'node:crypto';

export interface JwtVerifier {
  kid: string;
  publicKeyPem: string;
}

export type JwtCheck = { ok: true; subject: string } | { ok: false; reason: string };

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function verifyJwtAssertion(assertion: string, verifier: JwtVerifier, audience: string, nowSeconds: number): JwtCheck {
  const parts = assertion.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims) return { ok: false, reason: 'undecodable JWT' };
  if (header.alg !== 'RS256') return { ok: false, reason: 'alg must be RS256' };
  if (header.kid !== verifier.kid) return { ok: false, reason: 'unknown kid' };
  let valid = false;
  try {
    valid = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey(verifier.publicKeyPem), Buffer.from(parts[2], 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'bad signature' };
  const aud = claims.aud;
  if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) return { ok: false, reason: 'aud does not name the client' };
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, reason: 'expired or no exp' };
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + 5) return { ok: false, reason: 'not yet valid' };
  if (typeof claims.sub !== 'string' || claims.sub === '') return { ok: false, reason: 'no sub' };
  return { ok: true, subject: claims.sub };
}
