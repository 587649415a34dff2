// A connector's JSON answer is parsed when the flow first reads it: a served flow that answers with it as received
// never parses it, a flow that reads it gets a clear error when it does not parse, and a library caller's invoke()
// still parses at once. The instance here is a small real HTTP server whose record body ends as JSON does but is not
// JSON inside, which only a parse can tell.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnector } from '../../src/invoke/index.js';
import { isConnectorError } from '../../src/errors.js';
import { call, startServeHarness, xml, type ServeHarness } from './support.js';

const BROKEN = '{"result":{"sys_id":"a1","short_description":"ends like JSON",}}';
const GOOD = '{"result":{"sys_id":"b2","short_description":"fine"}}';
const BROKEN_ID = 'a'.repeat(32);
const GOOD_ID = 'b'.repeat(32);

let h: ServeHarness;
let instance: Server;
let instanceUrl: string;
let requests = 0;

beforeAll(async () => {
  h = await startServeHarness();
  instance = createServer((req, res) => {
    requests++;
    const body = req.url!.includes(BROKEN_ID) ? BROKEN : GOOD;
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => instance.listen(0, '127.0.0.1', resolve));
  instanceUrl = `http://127.0.0.1:${(instance.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((resolve) => instance.close(() => resolve()));
});

const api = () =>
  xml(`<api name="Lazy" context="/lazy" xmlns="http://ws.apache.org/ns/synapse">
  <resource methods="GET" uri-template="/forward/{sysId}">
    <inSequence>
      <servicenow.init><serviceNowInstanceURL>${instanceUrl}</serviceNowInstanceURL><username>admin</username><password>admin</password><maxRetries>0</maxRetries></servicenow.init>
      <servicenow.getRecordById><tableName>incident</tableName><sysId>{$ctx:uri.var.sysId}</sysId></servicenow.getRecordById>
      <respond/>
    </inSequence>
  </resource>
  <resource methods="GET" uri-template="/read/{sysId}">
    <inSequence>
      <servicenow.init><serviceNowInstanceURL>${instanceUrl}</serviceNowInstanceURL><username>admin</username><password>admin</password><maxRetries>0</maxRetries></servicenow.init>
      <servicenow.getRecordById><tableName>incident</tableName><sysId>{$ctx:uri.var.sysId}</sysId></servicenow.getRecordById>
      <property name="description" expression="json-eval($.result.short_description)"/>
      <payloadFactory media-type="json"><format>{"description": "$1"}</format><args><arg expression="$ctx:description"/></args></payloadFactory>
      <respond/>
    </inSequence>
  </resource>
</api>`);

describe('a connector answer parsed on first read', () => {
  it('forwards an answer nobody read without parsing it, and reads a good one', async () => {
    const server = await h.serve([{ file: 'lazy.xml', text: api() }]);
    const forwarded = await call(`${server.url}/lazy/forward/${BROKEN_ID}`);
    expect(forwarded.status).toBe(200);
    expect(forwarded.text).toBe(BROKEN);

    const read = await call(`${server.url}/lazy/read/${GOOD_ID}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ description: 'fine' });
  });

  it('fails the flow that reads a body that does not parse, naming the operation, with one request sent', async () => {
    const server = await h.serve([{ file: 'lazy-read.xml', text: api() }]);
    const before = requests;
    const read = await call(`${server.url}/lazy/read/${BROKEN_ID}`);
    expect(read.status).toBeGreaterThanOrEqual(500);
    expect(read.text).toContain('getRecordById');
    expect(read.text).toContain('not JSON');
    expect(requests - before).toBe(1);
  });

  it("parses at once for a library caller's invoke(), so the error comes from the call itself", async () => {
    const connector = await loadConnector();
    const conn = connector.connect({ serviceNowInstanceURL: instanceUrl, username: 'admin', password: 'admin', maxRetries: 0 });
    try {
      const good = await conn.invoke('getRecordById', { tableName: 'incident', sysId: GOOD_ID });
      expect({ ...good }.payload).toEqual(JSON.parse(GOOD));
      const error = await conn.invoke('getRecordById', { tableName: 'incident', sysId: BROKEN_ID }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isConnectorError(error) && error.code).toBe('SERVICENOW_ERROR');
      expect(isConnectorError(error) && error.message).toMatch(/^getRecordById: .*not JSON/);
    } finally {
      await conn.close();
    }
  });
});
