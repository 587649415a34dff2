// The store artifacts under `snconnect serve`'s server: a WSO2-style store-and-forward config (an API storing incident
// requests in a RabbitMQ store, a forwarding processor whose sequence calls postRecord with idempotencyField;
// test/fixtures/store-and-forward-rabbitmq)
// loaded as it is (only the instance URL and queue names changed) and called over HTTP; /metrics per store;
// the http and rabbitmq inbound endpoints; load errors with file and line.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifacts, loadArtifacts } from '../../src/artifacts/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { startFlowServer, type FlowServer } from '../../src/serve/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { StoreRegistry, onStoreServiceStart, storeArtifactsOf, type StoreService } from '../../src/store/index.js';

const example = join(import.meta.dirname, '..', 'fixtures', 'store-and-forward-rabbitmq');
const run = randomUUID().slice(0, 8);
let sim: RunningSimulator;
let connector: Connector;
let dir: string;
let latest: StoreService | undefined;
onStoreServiceStart((s) => (latest = s));

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  connector = await loadConnector();
  dir = await mkdtemp(join(tmpdir(), 'snc-example-'));
  await cp(example, join(dir, 'example'), { recursive: true });
  for (const f of await readdir(join(dir, 'example'))) {
    const file = join(dir, 'example', f);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('http://127.0.0.1:8080', sim.url).replace(/>incident-requests(-dlq)?</g, (_, dlq: string | undefined) => `>snc_test_${run}${dlq ?? ''}<`));
  }
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function until(what: string, condition: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function serve(paths: string[]): Promise<{ server: FlowServer; service: StoreService }> {
  const artifacts = await loadArtifacts(paths, { connector });
  latest = undefined;
  const server = await startFlowServer({ artifacts, connector, port: 0 });
  return { server, service: latest! };
}

describe('store artifacts served', () => {
  it('runs the store-and-forward example: POST answers 202, the processor creates each incident once, /metrics per store', async () => {
    const { server, service } = await serve([join(dir, 'example')]);
    const stores = storeArtifactsOf((await loadArtifacts([join(dir, 'example')], { connector })));
    try {
      const ids = [1, 2, 3, 4, 5].map((i) => `EX-${run}-${i}`);
      for (const id of ids) {
        const res = await fetch(`${server.url}/incident-requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ short_description: `example ${id}`, correlation_id: id, urgency: '2' }) });
        expect(res.status).toBe(202);
      }
      const counters = service.registry.counters('IncidentStore');
      expect(counters.stored).toBe(5);
      await until('5 delivered', () => counters.delivered === 5);
      for (const id of ids) expect(sim.db.list('incident', `correlation_id=${id}`).map((r) => r.urgency)).toEqual(['2']);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/snconnect_store_depth\{store="IncidentStore",kind="rabbitmq"\} 0/);
      expect(metrics).toMatch(/snconnect_store_delivered_total\{store="IncidentStore"\} 5/);
      expect(metrics).toMatch(/snconnect_store_dead_lettered_total\{store="IncidentStore"\} 0/);
      expect(metrics).not.toMatch(/guest/);
    } finally {
      await server.close();
      const registry = new StoreRegistry(stores.stores);
      for (const name of registry.names()) await ((await registry.get(name)) as unknown as { deleteQueue(): Promise<void> }).deleteQueue();
      await registry.closeAll();
    }
  });

  it('injects requests of an http inbound endpoint and messages of a rabbitmq inbound endpoint into their sequences', async () => {
    const queue = `snc_test_${run}_inbound`;
    const file = join(dir, 'inbound.xml');
    await writeFile(
      file,
      `<definitions>
  <localEntry key="sn"><servicenow.init><serviceNowInstanceURL>${sim.url}</serviceNowInstanceURL><username>admin</username><password>admin</password></servicenow.init></localEntry>
  <inboundEndpoint name="httpIn" protocol="http" sequence="echo" suspend="false">
    <parameters><parameter name="inbound.http.port">0</parameter></parameters>
  </inboundEndpoint>
  <inboundEndpoint name="mqIn" protocol="rabbitmq" sequence="create" suspend="false">
    <parameters>
      <parameter name="rabbitmq.server.host.name">127.0.0.1</parameter>
      <parameter name="rabbitmq.server.port">5672</parameter>
      <parameter name="rabbitmq.server.user.name">guest</parameter>
      <parameter name="rabbitmq.server.password">guest</parameter>
      <parameter name="rabbitmq.queue.name">${queue}</parameter>
    </parameters>
  </inboundEndpoint>
  <sequence name="echo">
    <payloadFactory media-type="json"><format>{"got": $1}</format><args><arg expression="json-eval($.n)"/></args></payloadFactory>
    <respond/>
  </sequence>
  <sequence name="create">
    <servicenow.postRecord configKey="sn">
      <tableName>incident</tableName>
      <payload>{json-eval($)}</payload>
      <idempotencyField>correlation_id</idempotencyField>
    </servicenow.postRecord>
  </sequence>
</definitions>`,
    );
    const { server, service } = await serve([file]);
    const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    const ch = await connection.createConfirmChannel();
    try {
      const port = (service.inboundListeners.find((l) => l.name === 'httpIn') as unknown as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n": 7}' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ got: 7 });

      const id = `MQ-${run}`;
      ch.sendToQueue(queue, Buffer.from(JSON.stringify({ short_description: 'from a queue', correlation_id: id })), { contentType: 'application/json', persistent: true });
      await ch.waitForConfirms();
      await until('created from the queue', () => sim.db.count('incident', `correlation_id=${id}`) === 1);
      await until('acknowledged', async () => (await ch.checkQueue(queue)).messageCount === 0);
    } finally {
      await server.close();
      await ch.deleteQueue(queue).catch(() => {});
      await connection.close();
    }
  });

  it('reports store artifacts that are wrong with file and line, before anything connects', () => {
    const load = (text: string) => () => buildArtifacts([{ file: 'bad.xml', text }], { connector });
    expect(load('<messageStore class="x"/>')).toThrow(/bad.xml:1: <messageStore> needs the attribute name="..."/);
    expect(
      load(`<definitions>
  <messageStore name="s"/>
  <messageProcessor name="p" class="org.apache.synapse.message.processor.impl.forwarder.ScheduledMessageForwardingProcessor" messageStore="s">
    <parameter name="sequence">nowhere</parameter>
  </messageProcessor>
</definitions>`),
    ).toThrow(/bad.xml:3: no sequence named 'nowhere'/);
    expect(load(`<inboundEndpoint name="in" protocol="jms" sequence="x"/>`)).toThrow(/protocol 'jms' is not supported/);
    expect(load(`<messageStore name="s"><parameter name="a">1</parameter><parameter name="a">2</parameter></messageStore>`)).toThrow(/the parameter 'a' is given twice/);
  });
});
