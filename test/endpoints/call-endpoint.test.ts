// <call> and <send> to endpoints (inline and by key) over real HTTP against a small node:http back end started
// here: the answer becomes the message, 4xx/5xx go on, no answer is a fault with Synapse's codes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { closeEndpointConnections } from '../../src/mediation/endpoints/endpoint-call.js';
import { parseFlow, prepareFlow, runFlow } from '../../src/mediation/index.js';
import { buildArtifacts } from '../../src/artifacts/index.js';
import { startFlowServer } from '../../src/serve/index.js';
import { refusedUrl } from '../support/mock-backend.js';

let backEnd: Server;
let base: string;
let refusedBase: string;
let connector: Connector;
const held: ServerResponse[] = [];
let resets = 0;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => resolve(text));
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname.startsWith('/assets/')) {
    res.writeHead(200, { 'content-type': 'application/json', 'x-back-end': 'cmdb' });
    res.end(JSON.stringify({ host: decodeURIComponent(url.pathname.slice('/assets/'.length)), method: req.method }));
  } else if (url.pathname === '/echo') {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, contentType: req.headers['content-type'], trace: req.headers['x-trace'] ?? null, received: JSON.parse(body || 'null') }));
  } else if (url.pathname === '/text') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('plain words');
  } else if (url.pathname === '/down') {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"error":"maintenance"}');
  } else if (url.pathname === '/reset') {
    resets++;
    req.socket.destroy(); // no answer: the connection closes (101505)
  } else if (url.pathname === '/slow') {
    held.push(res); // answered never: the endpoint's timeout must end the call
  } else {
    res.writeHead(404).end();
  }
}

beforeAll(async () => {
  connector = await loadConnector();
  backEnd = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => backEnd.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(backEnd.address() as AddressInfo).port}`;
  refusedBase = await refusedUrl();
});

afterAll(async () => {
  for (const res of held) res.destroy();
  await closeEndpointConnections();
  await new Promise((resolve) => backEnd.close(resolve));
});

async function run(body: string, init: { payload?: unknown; properties?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
  const xml = `<definitions xmlns="http://ws.apache.org/ns/synapse">
    <endpoint name="CmdbEndpoint"><http method="get" uri-template="${base}/assets/{uri.var.host}"/></endpoint>
    <sequence name="main" onError="failed">${body}<property name="after" value="ran"/></sequence>
    <sequence name="failed">
      <payloadFactory media-type="json"><format>{"code": "$1", "message": "$2"}</format>
        <args><arg expression="get-property('ERROR_CODE')"/><arg expression="get-property('ERROR_MESSAGE')"/></args>
      </payloadFactory>
    </sequence>
  </definitions>`;
  const { flow } = prepareFlow(xml, 'flow.xml', connector);
  const context = new MessageContext({ ...(init.payload !== undefined ? { payload: init.payload as never } : {}), properties: init.properties ?? {}, headers: init.headers ?? {} });
  return runFlow(flow, { connector, context });
}

describe('<call> to an endpoint', () => {
  it('by key: fills {uri.var.x} (encoded), uses the method, and the JSON answer becomes the payload with HTTP_SC and headers', async () => {
    const r = await run('<call><endpoint key="CmdbEndpoint"/></call>', { properties: { 'uri.var.host': 'db 01/a' } });
    expect(r.outcome).toBe('completed');
    expect(r.context.payload).toEqual({ host: 'db 01/a', method: 'GET' });
    expect(r.context.getProperty('HTTP_SC', 'axis2')).toBe(200);
    expect(r.context.getHeader('x-back-end')).toBe('cmdb');
    expect(r.context.getProperty('after')).toBe('ran');
  });

  it('inline <address>: sends the JSON payload with the message method and forwards transport headers', async () => {
    const r = await run(`<property name="HTTP_METHOD" value="PUT" scope="axis2"/><call><endpoint><address uri="${base}/echo"/></endpoint></call>`, {
      payload: { alert: 'disk full' },
      headers: { 'x-trace': 't-1', host: 'elsewhere' },
    });
    expect(r.context.payload).toEqual({ method: 'PUT', contentType: 'application/json', trace: 't-1', received: { alert: 'disk full' } });
    expect(r.context.getProperty('HTTP_SC', 'axis2')).toBe(201);
  });

  it('keeps a text answer as text', async () => {
    const r = await run(`<call><endpoint><http method="GET" uri-template="${base}/text"/></endpoint></call>`);
    expect(r.context.payload).toBe('plain words');
    expect(r.context.contentType).toBe('text/plain');
  });

  it('a 5xx answer is a response: HTTP_SC and its body, and the flow goes on', async () => {
    const r = await run(`<call><endpoint><http method="POST" uri-template="${base}/down"/></endpoint></call>`, { payload: { a: 1 } });
    expect(r.outcome).toBe('completed');
    expect(r.context.getProperty('HTTP_SC', 'axis2')).toBe(503);
    expect(r.context.payload).toEqual({ error: 'maintenance' });
    expect(r.context.getProperty('after')).toBe('ran');
  });

  it('connection refused is a fault with ERROR_CODE 101503', async () => {
    const r = await run(`<call><endpoint><http method="GET" uri-template="${refusedBase}/x"/></endpoint></call>`);
    expect(r.outcome).toBe('fault');
    expect(r.context.payload).toMatchObject({ code: '101503' });
    expect(String((r.context.payload as { message: string }).message)).toContain('connection refused');
    expect(r.context.getProperty('after')).toBeUndefined();
  });

  it('<timeout><duration> ends a call that gets no answer: a fault with ERROR_CODE 101504', async () => {
    const r = await run(`<call><endpoint><http method="GET" uri-template="${base}/slow"><timeout><duration>150</duration><responseAction>fault</responseAction></timeout></http></endpoint></call>`);
    expect(r.outcome).toBe('fault');
    expect(r.context.payload).toMatchObject({ code: '101504' });
    expect(String((r.context.payload as { message: string }).message)).toContain('no response within 150 ms');
  });

  it('takes the base URL from a property when the address starts with one (uri-template="{uri.var.base}/...")', async () => {
    const r = await run(`<call><endpoint><http method="GET" uri-template="{uri.var.cmdbUrl}/assets/{uri.var.host}"/></endpoint></call>`, { properties: { 'uri.var.cmdbUrl': base, 'uri.var.host': 'db 01' } });
    expect(r.outcome).toBe('completed');
    expect(r.context.payload).toEqual({ host: 'db 01', method: 'GET' });
    const unset = await run(`<call><endpoint><address uri="{uri.var.cmdbUrl}"/></endpoint></call>`);
    expect(unset.outcome).toBe('fault');
    expect(unset.context.payload).toMatchObject({ code: '101500' });
    expect(String((unset.context.payload as { message: string }).message)).toContain("the address '{uri.var.cmdbUrl}' gave '', which is not an http:// or https:// URL");
  });

  it('never shows a password given in the endpoint URL', async () => {
    const r = await run(`<call><endpoint><http method="GET" uri-template="http://svc:s3cr3t-pw@127.0.0.1:${new URL(refusedBase).port}/x"/></endpoint></call>`);
    expect(r.outcome).toBe('fault');
    expect(JSON.stringify(r.context.payload)).not.toContain('s3cr3t-pw');
    expect(r.error?.message).not.toContain('s3cr3t-pw');
  });
});

describe('<send> to an endpoint', () => {
  it('answers the client with the back end response (the flow ends as with <respond/>)', async () => {
    const r = await run('<send><endpoint key="CmdbEndpoint"/></send>', { properties: { 'uri.var.host': 'web1' } });
    expect(r.outcome).toBe('responded');
    expect(r.context.payload).toEqual({ host: 'web1', method: 'GET' });
    expect(r.context.getProperty('after')).toBeUndefined();
  });
});

describe('under snconnect serve', () => {
  it('an API resource calls an <endpoint> artifact of another file by key with {uri.var.x} from its own path, and answers with the result', async () => {
    const artifacts = buildArtifacts(
      [
        { file: 'endpoints/CmdbEndpoint.xml', text: `<endpoint name="CmdbEndpoint" xmlns="http://ws.apache.org/ns/synapse"><http method="get" uri-template="${base}/assets/{uri.var.host}"/></endpoint>` },
        {
          file: 'apis/Hosts.xml',
          text: `<api name="Hosts" context="/hosts" xmlns="http://ws.apache.org/ns/synapse"><resource methods="GET" uri-template="/{host}"><inSequence>
            <call><endpoint key="CmdbEndpoint"/></call>
            <payloadFactory media-type="json"><format>{"found": "$1", "status": $2}</format>
              <args><arg evaluator="json" expression="$.host"/><arg expression="$axis2:HTTP_SC"/></args></payloadFactory>
            <respond/></inSequence></resource></api>`,
        },
      ],
      { connector },
    );
    const server = await startFlowServer({ artifacts, connector, port: 0 });
    try {
      const res = await fetch(`${server.url}/hosts/db-7`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ found: 'db-7', status: 200 });
    } finally {
      await server.close();
    }
  });
});

describe('endpoints at load', () => {
  const issues = (xml: string) => parseFlow(xml, 'f.xml').issues;

  it('reports an unknown endpoint key, a refused endpoint kind and a bad duration with their lines', () => {
    expect(() => prepareFlow('<sequence name="main"><call><endpoint key="Nope"/></call></sequence>', 'f.xml', connector)).toThrow(/f\.xml:1: <call> names no <endpoint> 'Nope'/);
    const found = issues(`<definitions>
  <endpoint name="Lb"><wsdl uri="http://x/?wsdl" service="S" port="P"/></endpoint>
  <sequence name="main"><call><endpoint><http uri-template="${base}/x"><timeout><duration>soon</duration></timeout></http></endpoint></call></sequence>
</definitions>`).map((i) => i.message);
    expect(found).toContain("endpoint 'Lb': <wsdl> endpoints are not supported (only <http>, <address>, <default>, <failover> and <loadbalance>)");
    expect(found.some((m) => m.includes("<duration> must be a whole number of milliseconds") && m.includes("'soon'"))).toBe(true);
  });

  it('reports bad circuit-breaking settings with their lines', () => {
    const found = parseFlow(`<definitions><endpoint name="E"><http uri-template="${base}/x"><suspendOnFailure><errorCodes>refused</errorCodes><initialDuration>-5</initialDuration></suspendOnFailure></http></endpoint></definitions>`, 'f.xml').issues.map((i) => i.message);
    expect(found).toEqual(expect.arrayContaining([
      "endpoint 'E': <errorCodes> must be six-digit codes separated by commas (e.g. 101503,101504) or -1, not 'refused'",
      "endpoint 'E': <initialDuration> must be a number >= 0, not '-5'",
    ]));
  });
});

describe('circuit breaking', () => {
  /** One flow, prepared once and run again and again: a named endpoint keeps its state across messages. */
  function flowWith(endpointBody: string) {
    const { flow } = prepareFlow(`<definitions>
      <endpoint name="Flaky"><http method="GET" uri-template="${base}/reset">${endpointBody}</http></endpoint>
      <sequence name="main"><call><endpoint key="Flaky"/></call></sequence></definitions>`, 'flow.xml', connector);
    return async () => {
      const r = await runFlow(flow, { connector, context: new MessageContext() });
      return r.context.getProperty('ERROR_CODE');
    };
  }

  it('<suspendOnFailure>: suspended at the first failure (303001, nothing sent), tried again after initialDuration, then suspended longer', async () => {
    const call = flowWith('<suspendOnFailure><errorCodes>101505</errorCodes><initialDuration>300</initialDuration><progressionFactor>2</progressionFactor></suspendOnFailure>');
    const before = resets;
    expect(await call()).toBe('101505');
    expect(await call()).toBe('303001');
    expect(resets - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350)); // the suspension's own duration must pass: no event to wait for
    expect(await call()).toBe('101505');
    expect(resets - before).toBe(2);
    expect(await call()).toBe('303001');
  });

  it('<markForSuspension>: retriesBeforeSuspension failures are tolerated, the next one suspends', async () => {
    const call = flowWith('<markForSuspension><errorCodes>101505</errorCodes><retriesBeforeSuspension>1</retriesBeforeSuspension><retryDelay>0</retryDelay></markForSuspension><suspendOnFailure><initialDuration>60000</initialDuration></suspendOnFailure>');
    const before = resets;
    expect(await call()).toBe('101505');
    expect(await call()).toBe('101505');
    expect(await call()).toBe('303001');
    expect(resets - before).toBe(2);
  });

  it('an endpoint without them is never suspended', async () => {
    const call = flowWith('');
    expect(await call()).toBe('101505');
    expect(await call()).toBe('101505');
  });
});
