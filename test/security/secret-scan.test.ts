// Acceptance: with a password, client secret, tokens and a private key whose values are unusual (`@`, `:`, `%`,
// non-ASCII), run every command, flow and error path we can reach against a hostile server that echoes whatever
// credential it receives in its error bodies and headers, and find none of those values (nor their encoded forms)
// in stdout, stderr, log lines, thrown errors (inspected deeply: message, detail, stack, cause, response) or the
// files the commands write. The server is a real HTTP server on 127.0.0.1 (node:http), not a mock of the client.
import { once } from 'node:events';
import { cp, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import type { Logger } from '../../src/logger.js';
import { parseFlow, runFlow } from '../../src/mediation/index.js';
import { runCli } from '../cli/run-cli.js';

const PASSWORD = 'pw@:%-Ünï©ødé-4821';
const CLIENT_SECRET = 'cs@:%41-ßécrèt:7730';
const REFRESH_TOKEN = 'rt@:%zz-rëfrésh-0192';
/** Issued by the hostile token endpoint; sent in a header, so kept to characters a header can carry. */
const ACCESS_TOKEN = 'at@:%25-acc~ess+tok/3141';
const ISSUED_REFRESH = 'ir@:%-issued-refresh-2718';
const KEY_LINE = 'MIIEvQ@:%-prïvàte-kéy-5561-QUFBQUFBQUFBQUFBQUFBQUFB';
const PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----\n${KEY_LINE}\n-----END PRIVATE KEY-----\n`;
/** A password in the instance URL's user-info. */
const URL_PASSWORD = 'up@ss:w%rd-ü';

const SECRETS = [PASSWORD, CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN, ISSUED_REFRESH, KEY_LINE, URL_PASSWORD];
/** Each secret and the forms in which a server or a library would echo it. */
const NEEDLES = SECRETS.flatMap((s) => [
  s,
  encodeURIComponent(s),
  encodeURIComponent(s).replace(/%20/g, '+'),
  JSON.stringify(s).slice(1, -1),
  Buffer.from(s).toString('base64'),
  Buffer.from(`svc:${s}`).toString('base64'),
]);

function leaks(text: string): string[] {
  return NEEDLES.filter((needle) => text.includes(needle));
}

// ---- the hostile server -------------------------------------------------------------------------------------------

let server: Server;
let base: string;
/** How many requests each table path got: proves the error paths below were really reached over HTTP. */
const hits = new Map<string, number>();

function echoOf(req: IncomingMessage, body: string): string {
  const auth = req.headers.authorization ?? '';
  const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : auth.slice(7);
  return `auth=${auth} decoded=${decoded} body=${body}`;
}

async function hostile(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += chunk;
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  hits.set(path, (hits.get(path) ?? 0) + 1);
  if (path === '/oauth_token.do') {
    const form = new URLSearchParams(body);
    if (form.get('client_id') === 'good') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: ACCESS_TOKEN, refresh_token: ISSUED_REFRESH, expires_in: 1800 }));
      return;
    }
    // An OAuth server that repeats what it was sent in error_description.
    const said = form.get('client_secret') ?? form.get('refresh_token') ?? form.get('password') ?? '';
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_client', error_description: `bad secret ${said} pw ${form.get('password') ?? ''}` }));
    return;
  }
  const echo = echoOf(req, body);
  const header = { 'x-echo': encodeURIComponent(echo) };
  if (path.endsWith('/echo400')) {
    res.writeHead(400, { 'content-type': 'application/json', ...header });
    res.end(JSON.stringify({ error: { message: `Invalid request: ${echo}`, detail: encodeURIComponent(echo) }, status: 'failure' }));
  } else if (path.endsWith('/echo500')) {
    res.writeHead(500, { 'content-type': 'text/plain', ...header });
    res.end(`java.lang.NullPointerException while handling ${echo} / ${encodeURIComponent(echo)}`);
  } else {
    res.writeHead(401, { 'content-type': 'application/json', ...header });
    res.end(JSON.stringify({ error: { message: `User Not Authenticated: ${echo}`, detail: `Required to provide Auth information (${echo})` }, status: 'failure' }));
  }
}

let connector: Connector;
const logs: string[] = [];
const logger: Logger = { log: (level, message, fields) => logs.push(`${level} ${message} ${fields ? inspect(fields, { depth: 8 }) : ''}`) };
const thrown: unknown[] = [];
let outDir: string;
let inDir: string;

beforeAll(async () => {
  server = createServer((req, res) => void hostile(req, res).catch(() => res.destroy()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  connector = await loadConnector({ logger });
  outDir = await mkdtemp(join(tmpdir(), 'snconnect-scan-out-'));
  inDir = await mkdtemp(join(tmpdir(), 'snconnect-scan-in-'));
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

const basic = () => ({ serviceNowInstanceURL: base, username: 'svc', password: PASSWORD, maxRetries: 0 });
const oauth = (extra: Record<string, unknown>) => ({ serviceNowInstanceURL: base, authType: 'oauth2', username: 'svc', password: PASSWORD, maxRetries: 0, ...extra });

async function attempt(init: Record<string, unknown>, tables: string[]): Promise<void> {
  let conn;
  try {
    conn = connector.connect(init);
  } catch (err) {
    thrown.push(err);
    return;
  }
  try {
    for (const tableName of tables) {
      try {
        const res = await conn.invoke('getRecords', { tableName });
        logs.push(`result ${inspect(res, { depth: 8 })}`);
      } catch (err) {
        thrown.push(err);
      }
    }
  } finally {
    await conn.close();
  }
}

function errorText(err: unknown): string {
  return [inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err), String(err), (err as Error)?.stack ?? ''].join('\n');
}

describe('secret scan', () => {
  it('library: error bodies, OAuth errors, tokens, keys and URL passwords never come back in an error or a log line', async () => {
    await attempt(basic(), ['echo401', 'echo400', 'echo500']);
    await attempt(oauth({ grantType: 'password', clientId: 'bad', clientSecret: CLIENT_SECRET }), ['echo401']);
    await attempt(oauth({ grantType: 'refresh_token', clientId: 'bad', clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN }), ['echo401']);
    await attempt(oauth({ grantType: 'client_credentials', clientId: 'good', clientSecret: CLIENT_SECRET }), ['echo401', 'echo500']);
    await attempt(oauth({ grantType: 'jwt_bearer', clientId: 'bad', clientSecret: CLIENT_SECRET, privateKey: PRIVATE_KEY, keyId: 'k1' }), ['echo401']);
    await attempt({ ...basic(), serviceNowInstanceURL: base.replace('//', `//svc:${URL_PASSWORD}@`) }, ['echo401']);
    // Every path above was reached: the basic and OAuth calls hit the tables, the grants hit the token endpoint.
    expect(hits.get('/api/now/table/echo401')).toBeGreaterThanOrEqual(2);
    expect(hits.get('/api/now/table/echo500')).toBeGreaterThanOrEqual(2);
    expect(hits.get('/oauth_token.do')).toBeGreaterThanOrEqual(3);
    expect(thrown.length).toBeGreaterThanOrEqual(8);
    for (const err of thrown) expect(leaks(errorText(err)), errorText(err)).toEqual([]);
    expect(leaks(logs.join('\n'))).toEqual([]);
  });

  it('flow: an echoed 401 body as the payload, <log level="full">, and a fault carry no secret', async () => {
    const xml = `<sequence name="main" xmlns="http://ws.apache.org/ns/synapse">
  <servicenow.init>
    <serviceNowInstanceURL>{$ctx:url}</serviceNowInstanceURL>
    <username>svc</username>
    <password>{json-eval($.credentials.password)}</password>
    <maxRetries>0</maxRetries>
  </servicenow.init>
  <log level="full"><property name="given" expression="json-eval($.credentials)"/></log>
  <servicenow.getRecords><tableName>echo401</tableName></servicenow.getRecords>
  <log level="full"/>
  <servicenow.getRecords faultOnErrorStatus="true"><tableName>echo400</tableName></servicenow.getRecords>
</sequence>`;
    const { flow } = parseFlow(xml, 'scan.xml');
    const flowLogs: string[] = [];
    const flowLogger: Logger = { log: (level, message, fields) => flowLogs.push(`${level} ${message} ${inspect(fields, { depth: 8 })}`) };
    const context = new MessageContext({ properties: { url: base }, payload: { credentials: { password: PASSWORD, note: `copy ${PASSWORD}` } } });
    const result = await runFlow(flow, { connector, context, logger: flowLogger });
    expect(result.outcome).toBe('fault');
    const props = ['ERROR_CODE', 'ERROR_MESSAGE', 'ERROR_DETAIL'].map((p) => String(result.context.getProperty(p)));
    expect(props[0]).toBe('SERVICENOW_ERROR');
    expect(flowLogs.length).toBeGreaterThanOrEqual(2);
    expect(leaks(flowLogs.join('\n'))).toEqual([]);
    expect(leaks(props.join('\n'))).toEqual([]);
    expect(leaks(errorText(result.error))).toEqual([]);
  });

  it('CLI: invoke, dry-run, OAuth, run with a credential-carrying payload, a download, a scaffold from a curl line with credentials', async () => {
    const env = { SN_INSTANCE_URL: base, SN_USERNAME: 'svc', SN_PASSWORD: PASSWORD, SN_CLIENT_SECRET: CLIENT_SECRET, SN_REFRESH_TOKEN: REFRESH_TOKEN };
    const flowFile = join(inDir, 'flow.xml');
    const payloadFile = join(inDir, 'payload.json');
    await writeFile(
      flowFile,
      `<sequence name="main" xmlns="http://ws.apache.org/ns/synapse">
  <servicenow.init>
    <serviceNowInstanceURL>{$ctx:url}</serviceNowInstanceURL>
    <username>svc</username>
    <password>{json-eval($.password)}</password>
    <maxRetries>0</maxRetries>
  </servicenow.init>
  <log level="full"/>
  <servicenow.getRecords faultOnErrorStatus="true"><tableName>echo401</tableName></servicenow.getRecords>
</sequence>`,
    );
    await writeFile(payloadFile, JSON.stringify({ password: PASSWORD, user: 'svc', comment: `pw is ${PASSWORD}` }));
    // A catalogue copy for new-operation --from-curl, which writes files from a pasted curl line holding credentials.
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const catalogue = join(outDir, 'catalogue');
    for (const part of ['connector.xml', 'operations', 'templates']) await cp(join(root, part), join(catalogue, part), { recursive: true });
    const curl = `curl -u 'svc:${PASSWORD}' -H 'Authorization: Bearer ${ACCESS_TOKEN}' -H 'X-Secret: ${CLIENT_SECRET}' 'https://x.service-now.com/api/now/table/incident?sysparm_limit=3'`;
    const runs = await Promise.all([
      runCli(['invoke', 'getRecords', 'tableName=echo401', 'maxRetries=0', '--verbose'], env),
      runCli(['invoke', 'getRecords', 'tableName=echo500', 'maxRetries=0', '--dry-run'], env),
      runCli(['invoke', 'getRecords', 'tableName=echo400', 'authType=oauth2', 'grantType=client_credentials', 'clientId=good', 'maxRetries=0', '--format', 'csv', '--verbose'], env),
      runCli(['invoke', 'downloadAttachment', 'sysId=0123456789abcdef0123456789abcdef', 'maxRetries=0', '--output', join(outDir, 'download.bin')], env),
      runCli(['run', flowFile, '--payload', payloadFile, '-p', `url=${base}`, '--log-level', 'debug'], env),
      runCli(['new-operation', 'getScanned', '--from-curl', curl, '--catalogue', catalogue], env),
    ]);
    // The calls failed as the hostile server meant them to (so the error paths ran); the dry run and the scaffold succeeded.
    expect(runs.map((r) => r.code)).toEqual([1, 0, 1, 1, 1, 0]);
    for (const r of runs) expect(leaks(`${r.stdout}\n${r.stderr}`), `${r.stdout}\n${r.stderr}`).toEqual([]);
    // Every file the commands wrote (the scaffold's operation, test, docs and MI files; a download if any).
    const written = await readdir(outDir, { recursive: true });
    expect(written).toContain(join('catalogue', 'operations', 'getScanned.xml'));
    for (const name of written) {
      const path = join(outDir, name);
      if ((await stat(path)).isFile()) expect(leaks(await readFile(path, 'utf8')), name).toEqual([]);
    }
  }, 30_000);
});
