// The WSO2 MI documentation's own examples for call, send, endpoints, iterate/aggregate and clone
// (test/fixtures/wso2-mi, each citing its page), served unchanged by `snconnect serve`'s FlowServer against real
// node:http mocks. Only the back ends' host:port (localhost:9000 ...) is pointed at the mock, as a user would.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverArtifactFiles, discoverRegistryResources } from '../../src/artifacts/index.js';
import { useEndpointHarness } from '../support/endpoint-harness.js';
import { refusedUrl, startMockBackend } from '../support/mock-backend.js';
import { startSoapMock } from '../support/soap-mock.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'wso2-mi');
const h = useEndpointHarness();

/**
 * Serves a fixture folder as it is (its registry resources too), with every http://localhost:<port> of the docs
 * pointed at the mock back end (or at what `backEnd` gives for the port).
 */
async function serveFixture(name: string, backEnd: string | ((port: string) => string) = h.backend.url) {
  const files = await discoverArtifactFiles([join(fixtures, name)]);
  const registry = await discoverRegistryResources([join(fixtures, name)]);
  const url = typeof backEnd === 'string' ? () => backEnd : backEnd;
  return h.serve(await Promise.all(files.map(async (file) => ({ file, text: (await readFile(file, 'utf8')).replace(/http:\/\/localhost:(\d+)/g, (_all, port: string) => url(port)) }))), registry);
}

/** A 500 answer holding a SOAP 1.1 fault with that faultcode element and faultstring. */
async function expectSoapFault(res: Response, faultcode: string, faultstring: string): Promise<void> {
  expect(res.status).toBe(500);
  const body = await res.text();
  expect(body).toContain(faultcode);
  expect(body).toContain(`<faultstring>${faultstring}</faultstring>`);
}

describe('MI docs examples under serve', () => {
  it('quick start HealthcareAPI: clone to two hospitals, call each, aggregate json-eval($.doctors.doctor) as root, the answer the docs show', async () => {
    const server = await serveFixture('healthcare');
    // curl -v http://localhost:8290/healthcare/doctor/Ophthalmologist
    const res = await fetch(`${server.url}/healthcare/doctor/Ophthalmologist`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      [
        { name: 'John Mathew', time: '03:30 PM', hospital: 'Grand Oak' },
        { name: 'Allan Silvester', time: '04:30 PM', hospital: 'Grand Oak' },
      ],
      [
        { name: 'John Mathew', time: '07:30 AM', hospital: 'pineValley' },
        { name: 'Roma Katherine', time: '04:30 PM', hospital: 'pineValley' },
      ],
    ]);
    const pine = h.backend.hits('/pineValley/doctors');
    expect(pine.at(-1)?.method).toBe('POST');
    expect(JSON.parse(pine.at(-1)!.body)).toEqual({ doctorType: 'Ophthalmologist' });
    expect(h.backend.hits('/grandOak/doctors/Ophthalmologist').at(-1)?.method).toBe('GET');
  });

  it('iterate with a JSONPath (preservePayload, attachPath): one call per student, each the payload with the student at $.placeHolder', async () => {
    const server = await serveFixture('iterate-json');
    const before = h.backend.hits('/iteratesample/echojson').length;
    const students = [{ name: 'Ann', grade: 7 }, { name: 'Bo', grade: 8 }, { name: 'Cy', grade: 9 }];
    const res = await fetch(`${server.url}/iteratesample/students`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ placeHolder: {}, students: { studentlist: students } }) });
    expect(res.status).toBe(200);
    // Each split message: the original payload, the iterated array emptied, the item attached at the attach path.
    expect(await res.json()).toEqual(students.map((s) => ({ placeHolder: s, students: { studentlist: [] } })));
    expect(h.backend.hits('/iteratesample/echojson').length - before).toBe(3);
  });

  it('call example 2: clone continueParent="true", the clone calls and drops, the parent logs "After call mediator" and the client gets 202', async () => {
    const server = await serveFixture('clone-continue');
    const before = h.backend.hits('/echoString').length;
    const res = await fetch(`${server.url}/services/CloneContinueProxy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": "hello"}' });
    expect(res.status).toBe(202);
    expect(h.backend.hits('/echoString').length - before).toBe(1);
    expect(JSON.parse(h.backend.hits('/echoString').at(-1)!.body)).toEqual({ text: 'hello' });
    expect(server.logs.some((l) => JSON.stringify(l).includes('After call mediator'))).toBe(true);
  });

  it('call example 1 (service orchestration): two calls, the first answer kept in a property and returned', async () => {
    const server = await serveFixture('call-orchestration');
    const before = h.backend.hits('/services/SimpleStockQuoteService').length;
    const res = await fetch(`${server.url}/services/SampleProxyService`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"symbol": "WSO2"}' });
    expect(res.status).toBe(200);
    const first = { getQuoteResponse: { symbol: 'WSO2', last: 72.5, request: { symbol: 'WSO2' } } };
    expect(await res.json()).toEqual(first);
    const calls = h.backend.hits('/services/SimpleStockQuoteService').slice(before);
    expect(calls).toHaveLength(2);
    expect(JSON.parse(calls[1]!.body)).toEqual(first); // the second back end got the first one's answer
  });

  it('send example: <send> to SimpleStockQuoteServiceEP in a proxy with no outSequence answers with the back end\'s response', async () => {
    const server = await serveFixture('send-proxy');
    const res = await fetch(`${server.url}/services/SimpleProxy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"symbol": "IBM"}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ getQuoteResponse: { symbol: 'WSO2', last: 72.5, request: { symbol: 'IBM' } } });
  });

  it('HTTP endpoint example 1: uri.var.* properties fill the uri-template, query included, and <send> answers with the result', async () => {
    const server = await serveFixture('http-endpoint');
    const res = await fetch(`${server.url}/pizza`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/PizzaShopServlet/restapi/PizzaWS/menu', category: 'pizza', type: 'pan' });
    expect(h.backend.hits('/PizzaShopServlet/').at(-1)?.path).toBe('/PizzaShopServlet/restapi/PizzaWS/menu?category=pizza&type=pan');
  });

  it('endpoint error handling example 1: 101505 puts the endpoint in timeout, three retries pass, the fourth failure suspends it (nothing sent), it is tried again after initialDuration', async () => {
    const server = await serveFixture('endpoint-error-handling/example1');
    h.backend.behave('/myendpoint', 'reset');
    try {
      const before = h.backend.hits('/myendpoint').length;
      const get = async () => (await fetch(`${server.url}/test`)).json() as Promise<{ error: { message: string } }>;
      for (let i = 0; i < 4; i++) expect((await get()).error.message).toMatch(/connection closed/);
      expect(h.backend.hits('/myendpoint').length - before).toBe(4);
      expect((await get()).error.message).toMatch(/endpoint 'Sample_First' is suspended/);
      expect(h.backend.hits('/myendpoint').length - before).toBe(4); // suspended: not sent
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the docs' initialDuration (1000 ms) must pass
      h.backend.behave('/myendpoint', 'ok');
      const res = await fetch(`${server.url}/test`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ path: '/myendpoint', method: 'GET' });
    } finally {
      h.backend.behave('/myendpoint', 'ok');
    }
  });

  it('endpoint error handling example 2: a dynamic <duration>{get-property(\'timeout\')}</duration> with responseAction discard loads and calls', async () => {
    const server = await serveFixture('endpoint-error-handling/example2');
    const res = await fetch(`${server.url}/test`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/myendpoint', method: 'GET' });
  });

  it('endpoint error handling example 3: errorCodes -1 never suspends the endpoint', async () => {
    const server = await serveFixture('endpoint-error-handling/example3');
    h.backend.behave('/services/SimpleStockQuoteService', 'reset');
    try {
      const before = h.backend.hits('/services/SimpleStockQuoteService').length;
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/test`)).status).toBe(500);
      expect(h.backend.hits('/services/SimpleStockQuoteService').length - before).toBe(3); // every call was sent
    } finally {
      h.backend.behave('/services/SimpleStockQuoteService', 'ok');
    }
  });

  it('endpoint error handling example 4: endpoints with <retryConfig> enabled/disabled error codes load and answer', async () => {
    const server = await serveFixture('endpoint-error-handling/example4');
    expect(await (await fetch(`${server.url}/retry/stop`)).json()).toEqual({ path: '/services/LBService1', method: 'GET' });
    expect(await (await fetch(`${server.url}/retry/always`)).json()).toEqual({ path: '/services/LBService1', method: 'GET' });
  });

  it('iterate by XPath (preservePayload, attachPath) then aggregate example 1: one getQuote per request element, the responses gathered in one envelope', async () => {
    const soap = await startSoapMock();
    try {
      const server = await serveFixture('split-aggregate-xml', soap.url);
      const symbols = ['IBM', 'WSO2', 'MSFT'];
      const request = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><m0:getQuote xmlns:m0="http://services.samples">${symbols.map((s) => `<m0:request><m0:symbol>${s}</m0:symbol></m0:request>`).join('')}</m0:getQuote></soapenv:Body></soapenv:Envelope>`;
      const res = await fetch(`${server.url}/services/SplitAggregateProxy`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: 'urn:getQuote' }, body: request });
      const body = await res.text();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      // One envelope; its body holds the three getQuoteResponse elements, in split order.
      expect(body.match(/<soapenv:Envelope/g)).toHaveLength(1);
      expect(body.match(/<ns:getQuoteResponse /g)).toHaveLength(3);
      expect([...body.matchAll(/<ax21:symbol[^>]*>(\w+)<\/ax21:symbol>/g)].map((m) => m[1])).toEqual(symbols);
      // Each back-end call carried the getQuote element with exactly one request.
      const sent = soap.received.filter((r) => r.path === '/services/SimpleStockQuoteService');
      expect(sent).toHaveLength(3);
      for (const r of sent) expect(r.body.match(/<m0:request[\s>]/g)).toHaveLength(1);
      expect(sent.map((r) => /<m0:symbol[^>]*>(\w+)</.exec(r.body)?.[1]).sort()).toEqual([...symbols].sort());
    } finally {
      await soap.close();
    }
  });

  it('failover example 1 (one address endpoint): the call reaches it; unreachable, it is suspended and the call faults with 101503 as the page logs', async () => {
    const up = await serveFixture('failover-single');
    const res = await fetch(`${up.url}/test`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/myendpoint', method: 'GET' });
    const down = await serveFixture('failover-single', await refusedUrl());
    const failed = await fetch(`${down.url}/test`);
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: { message: string } }).error.message).toMatch(/endpoint 'Sample_First' \(GET .*\/myendpoint\): connection refused/);
    expect(down.logs.some((l) => JSON.stringify(l).includes("endpoint 'Sample_First' suspended after failure 101503"))).toBe(true);
  });

  it('failover example 2 (two endpoints): fooEP answers; when fooEP gets no answer, barEP answers the same request', async () => {
    const server = await serveFixture('failover-multiple');
    expect(await (await fetch(`${server.url}/test`)).json()).toEqual({ path: '/foo', method: 'GET' });
    h.backend.behave('/foo', 'reset');
    try {
      const before = h.backend.hits('/foo').length;
      const res = await fetch(`${server.url}/test`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ path: '/bar', method: 'GET' });
      expect(h.backend.hits('/foo').length - before).toBe(1);
    } finally {
      h.backend.behave('/foo', 'ok');
    }
  });

  it('call example 3 (blocking): the Action header and the payloadFactory request go to the SOAP back end, and its answer is the response', async () => {
    const soap = await startSoapMock();
    try {
      const server = await serveFixture('call-blocking', soap.url);
      const res = await fetch(`${server.url}/services/CallBlockingProxy`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>' });
      const body = await res.text();
      expect(res.status).toBe(200);
      expect(body).toContain('<ns:getQuoteResponse');
      expect(body).toContain('WSO2 Company');
      const sent = soap.received.at(-1)!;
      expect(sent.headers.soapaction).toBe('"urn:getQuote"');
      expect(sent.body).toMatch(/<m0:symbol>WSO2<\/m0:symbol>/);
    } finally {
      await soap.close();
    }
  });

  it('load-balance example: three requests go round robin, one to each of the three back ends (session affinity is a warning here)', async () => {
    const others = [await startMockBackend(), await startMockBackend()];
    try {
      const urls: Record<string, string> = { '9001': h.backend.url, '9002': others[0]!.url, '9003': others[1]!.url };
      const server = await serveFixture('loadbalance', (port) => urls[port]!);
      const backEnds = [h.backend, ...others];
      const before = backEnds.map((b) => b.hits('/services/SimpleStockQuoteService').length);
      const order = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body><m0:placeOrder xmlns:m0="http://services.samples"><m0:order><m0:price>172.23182849731984</m0:price><m0:quantity>18398</m0:quantity><m0:symbol>IBM</m0:symbol></m0:order></m0:placeOrder></soapenv:Body></soapenv:Envelope>`;
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.url}/services/LoadBalanceProxy`, { method: 'POST', headers: { 'content-type': 'text/xml;charset=UTF-8', simpleClientSession: '123' }, body: order });
        expect(res.status).toBe(200);
      }
      expect(backEnds.map((b, i) => b.hits('/services/SimpleStockQuoteService').length - before[i]!)).toEqual([1, 1, 1]);
      expect(h.backend.hits('/services/SimpleStockQuoteService').at(-1)!.headers.soapaction).toBe('"urn:placeOrder"');
    } finally {
      for (const b of others) await b.close();
    }
  });

  it('load-balance example, every back end down: the errorHandler fault sequence answers with its SOAP fault', async () => {
    const server = await serveFixture('loadbalance', await refusedUrl());
    const res = await fetch(`${server.url}/services/LoadBalanceProxy`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><a/></soapenv:Body></soapenv:Envelope>' });
    await expectSoapFault(res, '<faultcode xmlns:soap11Env="http://schemas.xmlsoap.org/soap/envelope/">soap11Env:VersionMismatch</faultcode>', "COULDN'T SEND THE MESSAGE TO THE SERVER.");
  });

  it('validate JSON examples 1 and 2 (schema from the project\'s registry, conf:/schema/...): a valid request passes, an invalid one gets the Error the page shows', async () => {
    const server = await serveFixture('validate-json');
    const valid = { getQuote: { request: { symbol: 'WSO2' } } };
    for (const [path, wrap] of [['basic', (v: unknown) => v], ['source', (v: unknown) => ({ msg: v })]] as const) {
      const ok = await fetch(`${server.url}/validate/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(wrap(valid)) });
      expect([path, ok.status, await ok.json()]).toEqual([path, 200, wrap(valid)]);
      const bad = await fetch(`${server.url}/validate/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(wrap({ getQuote: {} })) });
      expect(bad.status).toBe(500);
      const answer = (await bad.json()) as Record<string, string>;
      expect(answer.Error).toBe('object has missing required properties (["request"])');
      expect(answer['Error Details']).toContain("/getQuote: must have required property 'request'");
    }
  });

  it('validate XML example 1 (XML Schema): a conforming getQuote passes, another gets the makefault SOAP fault of <on-fail>', async () => {
    const server = await serveFixture('validate-xml');
    const envelope = (inner: string) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><m0:getQuote xmlns:m0="http://services.samples">${inner}</m0:getQuote></soapenv:Body></soapenv:Envelope>`;
    const ok = await fetch(`${server.url}/services/ValidateXmlProxy`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: envelope('<m0:request><m0:symbol>IBM</m0:symbol></m0:request>') });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<m0:symbol>IBM</m0:symbol>');
    const bad = await fetch(`${server.url}/services/ValidateXmlProxy`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: envelope('<m0:request><m0:ticker>IBM</m0:ticker></m0:request>') });
    await expectSoapFault(bad, '<faultcode xmlns:tns="http://www.w3.org/2003/05/soap-envelope">tns:Receiver</faultcode>', 'Invalid Request!!!');
  });

  it('clone example: one copy goes to the <default> endpoint (the message\'s To address), the other to the sequence test1', async () => {
    const server = await serveFixture('clone-default');
    const before = h.backend.hits('/echo').length;
    const res = await fetch(`${server.url}/services/CloneProxy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order": 7}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ order: 7 });
    expect(h.backend.hits('/echo').length - before).toBe(1);
    expect(server.logs.some((l) => JSON.stringify(l).includes('test1 got a copy'))).toBe(true);
  });
  it('call source/target examples 1-3: the property, the XPath and the inline content go out as application/xml, the answer lands in TARGET and the client gets its own payload back', async () => {
    const server = await serveFixture('call-source-target');
    const incoming = { INCOMING: { INCOMING2: 'INCOMING2' } };
    for (const [proxy, sent] of [
      ['CallSourcePropertyProxy', '<INCOMING><INCOMING2>INCOMING2</INCOMING2></INCOMING>'],
      ['CallSourceXPathProxy', '<INCOMING2>INCOMING2</INCOMING2>'],
      // Unprefixed inline elements in a Synapse file are in its default namespace, as with payloadFactory in MI.
      ['CallSourceInlineProxy', '<Intermediate xmlns="http://ws.apache.org/ns/synapse"><Intermediate1>Intermediate</Intermediate1></Intermediate>'],
    ] as const) {
      const before = h.backend.hits('/echo').length;
      const res = await fetch(`${server.url}/services/${proxy}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(incoming) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(await res.json()).toEqual(incoming);
      const hits = h.backend.hits('/echo');
      expect(hits.length).toBe(before + 1);
      expect(hits.at(-1)!.headers['content-type']).toMatch(/^application\/xml/);
      expect(hits.at(-1)!.body).toBe(sent);
      // The echoed answer is in TARGET, logged by the page's <log>.
      expect(server.logs.filter((l) => JSON.stringify(l).includes('TARGET PAYLOAD')).map((l) => JSON.stringify(l)).at(-1)).toContain(JSON.stringify(sent).slice(1, -1));
    }
  });
});
