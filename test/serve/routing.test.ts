// Routing and request data over real HTTP: methods, uri-templates, url-mappings, 404/405, parameters and headers
// into the flow (classic and MI 4.4 forms), <respond/> with HTTP_SC/headers/messageType, 202, 400, 413.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowServer } from '../../src/serve/index.js';
import { call, startServeHarness, xml, type ServeHarness } from './support.js';

let h: ServeHarness;
let server: FlowServer;
beforeAll(async () => {
  h = await startServeHarness();
  server = await h.serve(
    [
      {
        file: 'echo-api.xml',
        text: xml(`<api name="Echo" context="/echo" xmlns="http://ws.apache.org/ns/synapse">
  <resource methods="GET" uri-template="/items/{id}?view={view}">
    <inSequence>
      <payloadFactory media-type="json">
        <format>{"id": "$1", "view": "$2", "mi": "\${params.uriParams.id}", "q": "\${params.queryParams.extra}", "h": "\${headers['X-Trace']}",
                 "trp": "$3", "method": "$4", "postfix": "$5", "qp": "$6"}</format>
        <args>
          <arg expression="$ctx:uri.var.id"/>
          <arg expression="get-property('uri.var.view')"/>
          <arg expression="$trp:X-Trace"/>
          <arg expression="$axis2:HTTP_METHOD"/>
          <arg expression="$axis2:REST_URL_POSTFIX"/>
          <arg expression="$ctx:query.param.extra"/>
        </args>
      </payloadFactory>
      <respond/>
    </inSequence>
  </resource>
  <resource methods="POST PUT" uri-template="/items">
    <inSequence>
      <property name="HTTP_SC" value="201" scope="axis2"/>
      <header name="Location" expression="\${'/echo/items/' + payload.name}" scope="transport"/>
      <respond/>
    </inSequence>
  </resource>
  <resource methods="GET" url-mapping="/files/*">
    <inSequence>
      <payloadFactory media-type="xml"><format><file><path>$1</path></file></format><args><arg expression="$axis2:REST_URL_POSTFIX"/></args></payloadFactory>
      <respond/>
    </inSequence>
  </resource>
  <resource methods="POST" url-mapping="/silent"><inSequence><log/></inSequence></resource>
  <resource methods="POST" url-mapping="/text">
    <inSequence>
      <property name="messageType" value="text/plain" scope="axis2"/>
      <respond/>
    </inSequence>
  </resource>
</api>`),
      },
    ],
    { maxBodyBytes: 1024 },
  );
});
afterAll(() => h.close());

describe('routing', () => {
  it('uri-template variables, query parameters, headers and axis2 properties reach the flow in both syntaxes', async () => {
    const res = await call(`${server.url}/echo/items/a%20b?view=full&extra=x`, { headers: { 'X-Trace': 't-1' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 'a b', view: 'full', mi: 'a b', q: 'x', h: 't-1', trp: 't-1', method: 'GET', postfix: '/items/a%20b?view=full&extra=x', qp: 'x' });
  });

  it('methods: POST and PUT share a resource; another method on a known path is 405 with Allow; an unknown path is 404', async () => {
    const created = await call(`${server.url}/echo/items`, { json: { name: 'n1' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/echo/items/n1');
    expect(created.json).toEqual({ name: 'n1' });
    expect((await call(`${server.url}/echo/items`, { method: 'PUT', json: { name: 'n2' } })).status).toBe(201);
    const wrong = await call(`${server.url}/echo/items`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST, PUT');
    const none = await call(`${server.url}/nothing/here`);
    expect(none.status).toBe(404);
    expect(none.json.error.message).toMatch(/no API resource or proxy matches GET \/nothing\/here/);
  });

  it('url-mapping wildcards match below their prefix; XML payloads pass through as application/xml', async () => {
    const res = await call(`${server.url}/echo/files/a/b.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml');
    // As in MI, an unprefixed element of a payloadFactory format is in the file's default (Synapse) namespace.
    expect(res.text).toBe('<file xmlns="http://ws.apache.org/ns/synapse"><path>/files/a/b.txt</path></file>');
  });

  it('a flow that ends without answering gets 202; messageType sets the content type; XML request bodies are kept as text', async () => {
    expect((await call(`${server.url}/echo/silent`, { json: { a: 1 } })).status).toBe(202);
    const text = await call(`${server.url}/echo/text`, { body: '<a>1</a>', headers: { 'content-type': 'application/xml' } });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('text/plain');
    expect(text.text).toBe('<a>1</a>');
  });

  it('a body over --max-body is 413; a body that claims JSON and does not parse is 400 before any mediator runs', async () => {
    const big = await call(`${server.url}/echo/items`, { json: { name: 'x'.repeat(2000) } });
    expect(big.status).toBe(413);
    const bad = await call(`${server.url}/echo/items`, { body: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/not valid JSON/);
    expect((await call(`${server.url}/echo/items/1`)).status).toBe(200);
  });
});
