// What <respond/> sends after a connector call: the response's own bytes while the flow has not read or changed the
// payload (no second serialization), the payload serialized again once anything in the flow touched it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { writeContext } from '../../src/serve/response.js';
import { call, startServeHarness, xml, type ServeHarness } from './support.js';

let h: ServeHarness;
beforeAll(async () => {
  h = await startServeHarness();
});
afterAll(() => h.close());

const INIT = `<servicenow.init><serviceNowInstanceURL>{{SIM}}</serviceNowInstanceURL><username>admin</username><password>admin</password></servicenow.init>`;
const READ = `${INIT}<servicenow.getRecordById><tableName>incident</tableName><sysId>{$ctx:uri.var.sysId}</sysId></servicenow.getRecordById>`;

const api = xml(`<api name="Answer" context="/answer" xmlns="http://ws.apache.org/ns/synapse">
  <resource methods="GET" uri-template="/as-read/{sysId}"><inSequence>${READ}<respond/></inSequence></resource>
  <resource methods="GET" uri-template="/changed/{sysId}">
    <inSequence>
      ${READ}
      <enrich><source type="inline">"changed by the flow"</source><target type="custom" xpath="json-eval($.result.short_description)"/></enrich>
      <respond/>
    </inSequence>
  </resource>
</api>`);

describe('answering with a connector response', () => {
  it('forwards an untouched response as ServiceNow sent it, and serializes a changed one', async () => {
    const server = await h.serve([{ file: 'answer.xml', text: api }]);
    const headers = { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
    const list = await fetch(`${h.sim.url}/api/now/table/incident?sysparm_limit=1`, { headers });
    const [record] = ((await list.json()) as { result: { sys_id: string }[] }).result;
    const asSent = await (await fetch(`${h.sim.url}/api/now/table/incident/${record!.sys_id}`, { headers })).text();

    const untouched = await call(`${server.url}/answer/as-read/${record!.sys_id}`);
    expect(untouched.status).toBe(200);
    expect(untouched.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(untouched.text).toBe(asSent);

    const changed = await call(`${server.url}/answer/changed/${record!.sys_id}`);
    expect(changed.status).toBe(200);
    expect(changed.json.result.short_description).toBe('changed by the flow');
    expect(changed.json.result.sys_id).toBe(record!.sys_id);
  });
});

describe('writeContext', () => {
  let server: Server;
  let url: string;
  let next: (ctx: MessageContext) => void;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      const ctx = new MessageContext();
      next(ctx);
      writeContext(res, ctx, 200, false);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Text that JSON.stringify would write differently (spaces, a number's form), so the two cases can be told apart.
  const received = '{ "result" : { "n" : 1.50, "s" : "\\u0041" } }';

  it('sends the received text byte for byte while nobody read the payload', async () => {
    next = (ctx) => ctx.setPayloadAsReceived(JSON.parse(received), received);
    const res = await fetch(url);
    expect(await res.text()).toBe(received);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(received)));
  });

  it('serializes the payload once it was read (and perhaps changed in place) or replaced', async () => {
    next = (ctx) => {
      ctx.setPayloadAsReceived(JSON.parse(received), received);
      (ctx.payload as { result: { n: number } }).result.n = 2;
    };
    expect(await (await fetch(url)).text()).toBe('{"result":{"n":2,"s":"A"}}');
    next = (ctx) => {
      ctx.setPayloadAsReceived(JSON.parse(received), received);
      ctx.payload = { replaced: true };
    };
    expect(await (await fetch(url)).text()).toBe('{"replaced":true}');
  });
});
