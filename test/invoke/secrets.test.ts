// The password never appears in an error, a log line or the context, whatever fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/index.js';
import type { Logger } from '../../src/logger.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const PASSWORD = 'Pa55-w0rd-that-must-not-leak';
const SECRETS = [PASSWORD, Buffer.from(`cli.user:${PASSWORD}`).toString('base64'), encodeURIComponent(PASSWORD)];

let sim: RunningSimulator;
let connector: Connector;
const lines: string[] = [];
const logger: Logger = { log: (level, message, fields) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`) };

beforeAll(async () => {
  sim = await startSimulator({ port: 0, users: [{ userName: 'cli.user', password: PASSWORD }] });
  connector = await loadConnector({ logger });
});
afterAll(() => sim.close());

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

function everything(err: unknown, ctx?: MessageContext): string {
  const e = err as (Error & { cause?: unknown }) | undefined;
  const parts = [String(e), e?.stack ?? '', JSON.stringify(err ?? null), JSON.stringify(e?.cause ?? null), String(e?.cause ?? ''), ...lines];
  if (ctx) parts.push(JSON.stringify([...ctx.properties().entries()]), JSON.stringify([...ctx.transportHeaders().entries()]), JSON.stringify(ctx.payload ?? null));
  return parts.join('\n');
}

describe('secrets', () => {
  it('a successful call leaves no trace of the password in the logs or the context', async () => {
    const conn = connector.connect({ serviceNowInstanceURL: sim.url, username: 'cli.user', password: PASSWORD });
    const ctx = new MessageContext();
    await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 }, { context: ctx });
    expect(ctx.getProperty('HTTP_SC', 'axis2')).toBe(200);
    expectNoSecret(everything(undefined, ctx));
    await conn.close();
  });

  it('a failed authentication does not show the password', async () => {
    const conn = connector.connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: PASSWORD, maxRetries: 0 });
    const ctx = new MessageContext();
    const err = await conn.invoke('getRecords', { tableName: 'incident' }, { context: ctx }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AUTH_FAILED' });
    expectNoSecret(everything(err, ctx));
    await conn.close();
  });

  it('a connection failure does not show the password, even in the URL', async () => {
    const conn = connector.connect({ serviceNowInstanceURL: `http://cli.user:${PASSWORD}@127.0.0.1:1`, username: 'cli.user', password: PASSWORD, maxRetries: 0 });
    const err = await conn.invoke('getRecords', { tableName: 'incident' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONNECTION_ERROR' });
    expectNoSecret(everything(err));
    await conn.close();
  });

  it('an invalid init parameter next to the password does not show it', () => {
    let err: unknown;
    try {
      connector.connect({ serviceNowInstanceURL: 'not a url', username: 'cli.user', password: PASSWORD });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'serviceNowInstanceURL' });
    expectNoSecret(everything(err));
  });

  it('a password given where an operation parameter is expected is rejected without echoing it', async () => {
    const conn = connector.connect({ serviceNowInstanceURL: sim.url, username: 'cli.user', password: PASSWORD });
    const err = await conn.invoke('getRecords', { tableName: 'incident', password: PASSWORD }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'password' });
    expectNoSecret(everything(err));
    await conn.close();
  });
});
