// A self-signed certificate for `snconnect simulator --tls`: an ECDSA P-256 key from node:crypto and an X.509 v3
// certificate written with ./der.ts, signed with crypto.sign. Valid for localhost, 127.0.0.1 and ::1 (plus the
// bound host), so clients that insist on https can trust it (NODE_EXTRA_CA_CERTS, an agent's `ca`, curl --cacert).
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import { bitString, boolean, explicit, implicit, integer, octetString, oid, sequence, set, time, utf8String } from './der.js';

export interface CertificateAndKey {
  /** PEM of the certificate (what clients trust). */
  readonly cert: string;
  /** PEM (PKCS#8) of the private key; stays in memory. */
  readonly key: string;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';
const SUBJECT_ALT_NAME = '2.5.29.17';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const EXT_KEY_USAGE = '2.5.29.37';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** Names the certificate is valid for: localhost and the loopback addresses, plus `extraHosts`. */
export function selfSignedCertificate(extraHosts: readonly string[] = [], days = 365): CertificateAndKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const name = sequence(set(sequence(oid(ORGANIZATION), utf8String('snconnect'))), set(sequence(oid(COMMON_NAME), utf8String('snconnect simulator'))));
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const serial = randomBytes(16);
  serial[0] &= 0x7f;

  const hosts = [...new Set(['localhost', '127.0.0.1', '::1', ...extraHosts.filter((h) => h !== '' && h !== '0.0.0.0' && h !== '::')])];
  const altNames = hosts.map((h) => (isIP(h) ? implicit(7, ipBytes(h)) : implicit(2, Buffer.from(h, 'ascii'))));
  const extensions = sequence(
    sequence(oid(SUBJECT_ALT_NAME), octetString(sequence(...altNames))),
    // A self-signed certificate is its own issuer: marked as a CA so every TLS stack accepts it as a trust anchor.
    sequence(oid(BASIC_CONSTRAINTS), boolean(true), octetString(sequence(boolean(true)))),
    // digitalSignature (bit 0) and keyCertSign (bit 5).
    sequence(oid(KEY_USAGE), boolean(true), octetString(bitString(Buffer.from([0b1000_0100])))),
    sequence(oid(EXT_KEY_USAGE), octetString(sequence(oid(SERVER_AUTH)))),
  );
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return { cert: pem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand '::' and write eight 16-bit groups.
  const [head, tail = ''] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
