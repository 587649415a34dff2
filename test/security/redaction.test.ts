// The one redaction (src/redact.ts): by shape (Bearer/Basic values, secret-named members however they are spelt,
// URL user-info) and by value (the secrets a connection was opened with, in every encoded form a server may echo).
// The end-to-end proof against a hostile server is secret-scan.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { ConnectorError } from '../../src/errors.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { parseFlow, runFlow } from '../../src/mediation/index.js';
import { redact, redactText, registerBasicCredential, registerSecret } from '../../src/redact.js';
import { memoryLogger } from '../mediation/helpers.js';

let connector: Connector;
beforeAll(async () => {
  connector = await loadConnector();
});

async function logLines(message: string, fields: Record<string, string>): Promise<string> {
  const props = Object.entries(fields)
    .map(([name, value]) => `<property name="${name}" value="${value}"/>`)
    .join('');
  const { flow } = parseFlow(
    `<sequence name="main" xmlns="http://ws.apache.org/ns/synapse"><log level="custom"><message>{$ctx:text}</message>${props}</log></sequence>`,
    'log.xml',
  );
  const logger = memoryLogger();
  await runFlow(flow, { connector, context: new MessageContext({ properties: { text: message } }), logger });
  return JSON.stringify(logger.lines);
}

describe('redaction by shape', () => {
  it('a Bearer token in log text is masked', async () => {
    const text = await logLines('calling with Authorization: Bearer eyJhbGciOi.J9-payload_sig', {});
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).toContain('Bearer ***');
  });

  it('a Basic credential in log text is masked', async () => {
    const text = await logLines('header was Basic dXNlcjpodW50ZXIy', {});
    expect(text).not.toContain('dXNlcjpodW50ZXIy');
  });

  it('secret-named members are masked however the name is spelt (client-secret, client_secret, clientSecret, CLIENT-SECRET)', async () => {
    const spellings = ['client-secret', 'client_secret', 'clientSecret', 'CLIENT-SECRET', 'Refresh-Token', 'private_key', 'Proxy-Authorization'];
    const fields = Object.fromEntries(spellings.map((name, i) => [name, `value-${i}-xyz`]));
    const text = await logLines('fields', fields);
    for (let i = 0; i < spellings.length; i++) expect(text).not.toContain(`value-${i}-xyz`);
    expect(redact(fields)).toEqual(Object.fromEntries(spellings.map((name) => [name, '***'])));
  });

  it('a URL password containing @ is masked whole', () => {
    expect(redactText('GET https://svc:p@ss@w0rd@dev1.example/api failed')).toBe('GET https://svc:***@dev1.example/api failed');
    expect(redactText('{"url":"http://u:a@b@host"}')).toBe('{"url":"http://u:***@host"}');
  });
});

describe('redaction by value', () => {
  const secret = 'Zq@:%4€-ünï/x y';
  beforeAll(() => {
    registerSecret(secret);
    registerBasicCredential('svc', secret);
  });

  it('masks the value in every encoded form a server may echo', () => {
    const forms = [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%20/g, '+'),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
      Buffer.from(`svc:${secret}`).toString('base64'),
    ];
    for (const form of forms) {
      const masked = redactText(`the server said: ${form} (end)`);
      expect(masked, form).toBe('the server said: *** (end)');
    }
  });

  it('a ConnectorError built from an echoing answer carries no trace of the value (message, detail, response body, cause)', () => {
    const err = new ConnectorError({
      code: 'AUTH_FAILED',
      message: `login failed for password ${secret}`,
      detail: `form was user=svc&pwd=${encodeURIComponent(secret)}`,
      response: { body: { error: { message: `bad ${secret}` } }, headers: { 'x-echo': secret } },
      cause: new Error(`raw ${secret}`),
    });
    const all = [err.message, err.detail, err.stack, JSON.stringify(err.response), String((err.cause as Error).message), (err.cause as Error).stack].join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(encodeURIComponent(secret));
    expect(err.message).toBe('login failed for password ***');
  });

  it('values shorter than four characters are not masked by value (they would blank ordinary words)', () => {
    registerSecret('ab');
    expect(redactText('a cab ride')).toBe('a cab ride');
  });
});

