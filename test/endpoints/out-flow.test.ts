// The response path under `snconnect serve`, over real HTTP: <send> with an endpoint hands the back end's answer to
// the outSequence (or receive="seq"), <loopback/> moves the message there, <drop/> in an out or fault sequence answers
// nothing (202); endpoint responseAction discard and dynamic timeouts; closing the server closes endpoint sockets.
import { describe, expect, it } from 'vitest';
import { useEndpointHarness } from '../support/endpoint-harness.js';

const h = useEndpointHarness();

const serve = (xml: string) => h.serve([{ file: 'artifacts.xml', text: `<definitions xmlns="http://ws.apache.org/ns/synapse">${xml.replaceAll('{{B}}', h.backend.url)}</definitions>` }]);
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('<send> and the out flow', () => {
  it("a proxy's <send> hands the back end's answer to the outSequence, which reshapes it and answers with <send/>", async () => {
    const server = await serve(`<proxy name="Quotes"><target>
      <inSequence><send><endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint></send><property name="not" value="reached"/></inSequence>
      <outSequence>
        <payloadFactory media-type="json"><format>{"wrapped": $1, "status": $2}</format><args><arg expression="json-eval($)"/><arg expression="$axis2:HTTP_SC"/></args></payloadFactory>
        <send/>
      </outSequence></target></proxy>`);
    const res = await post(`${server.url}/services/Quotes`, { symbol: 'IBM' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ wrapped: { symbol: 'IBM' }, status: 200 });
  });

  it('an API resource works the same way; receive="seq" takes the answer instead of the outSequence', async () => {
    const server = await serve(`<api name="A" context="/a">
      <resource methods="POST" uri-template="/out"><inSequence><send><endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint></send></inSequence>
        <outSequence><property name="HTTP_SC" value="201" scope="axis2"/><respond/></outSequence></resource>
      <resource methods="POST" uri-template="/receive"><inSequence><send receive="Chained"><endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint></send></inSequence>
        <outSequence><drop/></outSequence></resource></api>
      <sequence name="Chained"><payloadFactory media-type="json"><format>{"chained": $1}</format><args><arg expression="json-eval($)"/></args></payloadFactory><send/></sequence>`);
    const out = await post(`${server.url}/a/out`, { n: 1 });
    expect(out.status).toBe(201);
    expect(await out.json()).toEqual({ n: 1 });
    const received = await post(`${server.url}/a/receive`, { n: 2 });
    expect(received.status).toBe(200);
    expect(await received.json()).toEqual({ chained: { n: 2 } });
  });

  it('a proxy <target> endpoint (inline or endpoint="name") gets the message after the inSequence; the outSequence answers', async () => {
    const server = await serve(`<endpoint name="EchoEp"><http method="POST" uri-template="{{B}}/echo"/></endpoint>
      <proxy name="PassInline"><target><inSequence><header name="X-Trace" value="t-1" scope="transport"/></inSequence>
        <endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint>
        <outSequence><property name="HTTP_SC" value="203" scope="axis2"/><send/></outSequence></target></proxy>
      <proxy name="PassNamed"><target endpoint="EchoEp"/></proxy>`);
    const before = h.backend.hits('/echo').length;
    const inline = await post(`${server.url}/services/PassInline`, { a: 1 });
    expect(inline.status).toBe(203);
    expect(await inline.json()).toEqual({ a: 1 });
    expect(h.backend.hits('/echo')[before]?.headers['x-trace']).toBe('t-1');
    const named = await post(`${server.url}/services/PassNamed`, { b: 2 });
    expect(named.status).toBe(200);
    expect(await named.json()).toEqual({ b: 2 });
  });

  it('<loopback/> skips the rest of the inSequence and runs the outSequence', async () => {
    const server = await serve(`<proxy name="Loop"><target>
      <inSequence><payloadFactory media-type="json"><format>{"before": true}</format><args/></payloadFactory><loopback/>
        <payloadFactory media-type="json"><format>{"after": true}</format><args/></payloadFactory></inSequence>
      <outSequence><property name="X-Out" value="yes" scope="transport"/><send/></outSequence></target></proxy>`);
    const res = await post(`${server.url}/services/Loop`, {});
    expect(res.status).toBe(200);
    expect(res.headers.get('x-out')).toBe('yes');
    expect(await res.json()).toEqual({ before: true });
  });

  it('<drop/> in an outSequence or a faultSequence answers nothing: 202', async () => {
    const server = await serve(`<proxy name="DropOut"><target>
        <inSequence><send><endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint></send></inSequence>
        <outSequence><drop/></outSequence></target></proxy>
      <proxy name="DropFault"><target>
        <inSequence><call><endpoint><http method="GET" uri-template="{{B}}/reset"/></endpoint></call><respond/></inSequence>
        <faultSequence><log level="custom"><property name="fault" expression="$ctx:ERROR_CODE"/></log><drop/></faultSequence></target></proxy>`);
    const out = await post(`${server.url}/services/DropOut`, { a: 1 });
    expect(out.status).toBe(202);
    expect(await out.text()).toBe('');
    const fault = await post(`${server.url}/services/DropFault`, { a: 1 });
    expect(fault.status).toBe(202);
    expect(server.logs.some((l) => JSON.stringify(l).includes('101505'))).toBe(true);
  });

  it('the classic split pattern: iterate targets <send> to an endpoint, the outSequence aggregates the answers', async () => {
    const server = await serve(`<proxy name="Split"><target>
      <inSequence><iterate expression="json-eval($.orders)"><target><endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint></target></iterate></inSequence>
      <outSequence><aggregate><onComplete expression="json-eval($.id)"><send/></onComplete></aggregate></outSequence></target></proxy>`);
    const res = await post(`${server.url}/services/Split`, { orders: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(['a', 'b', 'c']);
  });
});

describe('endpoint timeouts', () => {
  it('<responseAction>discard</responseAction>: a call that times out drops the message (no fault sequence, 202)', async () => {
    const server = await serve(`<api name="D" context="/d"><resource methods="GET"><inSequence>
        <call><endpoint><http method="GET" uri-template="{{B}}/slow"><timeout><duration>150</duration><responseAction>discard</responseAction></timeout></http></endpoint></call>
        <respond/></inSequence>
      <faultSequence><property name="HTTP_SC" value="599" scope="axis2"/><respond/></faultSequence></resource></api>`);
    const res = await fetch(`${server.url}/d`);
    expect(res.status).toBe(202);
    expect(server.logs.some((l) => /no response within 150 ms; the message is discarded/.test(l.message))).toBe(true);
  });

  it('a dynamic <duration>{$ctx:timeout}</duration> is read per call; a value that is not a duration is a clear fault', async () => {
    const server = await serve(`<api name="T" context="/t"><resource methods="GET" uri-template="/{ms}"><inSequence>
        <property name="timeout" expression="$ctx:uri.var.ms"/>
        <call><endpoint><http method="GET" uri-template="{{B}}/slow"><timeout><duration>{$ctx:timeout}</duration></timeout></http></endpoint></call>
        <respond/></inSequence></resource></api>`);
    const timed = await (await fetch(`${server.url}/t/120`)).json();
    expect(timed.error.message).toMatch(/no response within 120 ms/);
    const bad = await (await fetch(`${server.url}/t/soon`)).json();
    expect(bad.error.message).toMatch(/<duration> \{\$ctx:timeout\} gave 'soon', not a whole number of milliseconds/);
  });

  it('refuses responseAction never and both retryConfig lists at load, with the line', async () => {
    await expect(serve(`<endpoint name="E"><http uri-template="{{B}}/x"><timeout><responseAction>never</responseAction></timeout>
      <retryConfig><disabledErrorCodes>101503</disabledErrorCodes><enabledErrorCodes>101504</enabledErrorCodes></retryConfig></http></endpoint>`)).rejects.toThrow(/<responseAction> must be fault or discard, not 'never'[\s\S]*takes enabled or disabled error codes, not both/);
  });
});

describe('closing the server', () => {
  it('close() closes the keep-alive sockets the endpoints opened', async () => {
    const server = await serve(`<api name="C" context="/c"><resource methods="GET"><inSequence><call><endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint></call><respond/></inSequence></resource></api>`);
    expect((await fetch(`${server.url}/c`)).status).toBe(200);
    expect(h.backend.openSockets()).toBeGreaterThan(0); // the endpoint's socket is kept alive for the next call
    await server.close();
    await h.backend.whenNoSockets(); // resolves only once every socket to the back end is closed
    expect(h.backend.openSockets()).toBe(0);
  });
});
