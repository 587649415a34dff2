// Processors against the real simulator and connector: store-and-forward with exactly-once creates, a poison
// message going to the dead-letter store without holding up the others, deactivation, non-retry statuses,
// and the sampling processor.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { prepareFlow, runFlow, type Flow } from '../../src/mediation/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { StoreService, flowSequenceRunner, type MessageProcessorConfig, type MessageStoreConfig } from '../../src/store/index.js';

let sim: RunningSimulator;
let connector: Connector;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  connector = await loadConnector();
});
afterAll(() => sim.close());

const run = randomUUID().slice(0, 8);

function flowXml(): string {
  return `<definitions>
  <localEntry key="sn">
    <servicenow.init>
      <serviceNowInstanceURL>${sim.url}</serviceNowInstanceURL>
      <username>admin</username>
      <password>admin</password>
    </servicenow.init>
  </localEntry>
  <sequence name="intake">
    <store messageStore="{$ctx:target}"/>
  </sequence>
  <sequence name="deliver">
    <servicenow.postRecord configKey="sn">
      <tableName>{json-eval($.table)}</tableName>
      <payload>{json-eval($.record)}</payload>
      <idempotencyField>correlation_id</idempotencyField>
    </servicenow.postRecord>
  </sequence>
  <sequence name="sample">
    <property name="seen" expression="json-eval($.record.correlation_id)"/>
    <servicenow.postRecord configKey="sn">
      <tableName>incident</tableName>
      <payload>{json-eval($.record)}</payload>
    </servicenow.postRecord>
  </sequence>
</definitions>`;
}

interface Setup {
  service: StoreService;
  flow: Flow;
  intake(record: Record<string, string>, options?: { table?: string; store?: string }): Promise<void>;
}

function setup(stores: MessageStoreConfig[], processors: MessageProcessorConfig[]): Setup {
  const { flow } = prepareFlow(flowXml(), 'flows.xml', connector);
  let service: StoreService | undefined;
  const sink = { store: (name: string, ctx: MessageContext) => service!.registry.store(name, ctx) };
  service = new StoreService({ stores, processors, inboundEndpoints: [] }, { sequences: flowSequenceRunner(flow, connector, { messageStores: sink }) });
  return {
    service,
    flow,
    async intake(record, options = {}) {
      const ctx = new MessageContext({ payload: { table: options.table ?? 'incident', record }, properties: { target: options.store ?? stores[0].name } });
      const result = await runFlow(flow, { connector, sequence: 'intake', context: ctx, messageStores: sink });
      expect(result.outcome).toBe('completed');
    },
  };
}

/** Waits for an event the processor reports through its counters (never a fixed sleep). */
async function until(what: string, condition: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const forwarding = (name: string, store: string, params: Record<string, string>): MessageProcessorConfig => ({
  name,
  className: 'org.apache.synapse.message.processor.impl.forwarder.ScheduledMessageForwardingProcessor',
  messageStore: store,
  parameters: { sequence: 'deliver', interval: '20', ...params },
});

const rabbit = (name: string): MessageStoreConfig => ({
  name,
  className: 'org.apache.synapse.message.store.impl.rabbitmq.RabbitMQStore',
  parameters: {
    'store.rabbitmq.host.name': '127.0.0.1',
    'store.rabbitmq.queue.name': `snc_test_${run}_${name}`,
    'store.producer.guaranteed.delivery.enable': 'true',
  },
});

describe('forwarding processor', () => {
  it('forwards stored creates from a RabbitMQ store exactly once, acknowledging each after its flow', async () => {
    const s = setup([rabbit('incidents')], [forwarding('forwarder', 'incidents', { 'member.count': '2' })]);
    const ids = Array.from({ length: 12 }, (_, i) => `FWD-${run}-${i}`);
    try {
      for (const id of ids) await s.intake({ short_description: `stored ${id}`, correlation_id: id });
      const store = await s.service.registry.get('incidents');
      expect((await store.stats()).depth).toBe(12);
      await s.service.start();
      await until('12 delivered', () => s.service.registry.counters('incidents').delivered === 12);
      for (const id of ids) expect(sim.db.count('incident', `correlation_id=${id}`)).toBe(1);
      expect(await store.stats()).toEqual({ depth: 0, inFlight: 0 });
    } finally {
      await s.service.stop();
      const again = setup([rabbit('incidents')], []);
      await ((await again.service.registry.get('incidents')) as unknown as { deleteQueue(): Promise<void> }).deleteQueue();
      await again.service.stop();
    }
  });

  it('moves a poison message to the dead-letter store after max.delivery.attempts while the messages behind it go through', async () => {
    const s = setup(
      [{ name: 'work', parameters: {} }, { name: 'dlq', parameters: {} }],
      [forwarding('forwarder', 'work', { 'max.delivery.attempts': '3', 'client.retry.interval': '300', 'message.processor.failMessagesStore': 'dlq' })],
    );
    try {
      await s.intake({ short_description: 'poison', correlation_id: `POISON-${run}` }, { table: 'no_such_table' });
      const good = [1, 2, 3].map((i) => `GOOD-${run}-${i}`);
      for (const id of good) await s.intake({ short_description: id, correlation_id: id });
      await s.service.start();
      const counters = s.service.registry.counters('work');
      let deadLetteredWhenGoodDone = -1;
      await until('the good ones delivered', () => {
        if (counters.delivered === 3 && deadLetteredWhenGoodDone < 0) deadLetteredWhenGoodDone = counters.deadLettered;
        return counters.delivered === 3;
      });
      expect(deadLetteredWhenGoodDone).toBe(0); // not held up behind the poison message
      await until('the poison message dead-lettered', () => counters.deadLettered === 1);
      expect(counters.retried).toBe(2);
      for (const id of good) expect(sim.db.count('incident', `correlation_id=${id}`)).toBe(1);
      const dlq = await s.service.registry.get('dlq');
      const [dead] = await dlq.peek(5);
      expect(dead.payload).toMatchObject({ table: 'no_such_table' });
      expect(dead.properties).toMatchObject({ 'snconnect.origin.store': 'work', 'snconnect.attempts': 3 });
      expect(String(dead.properties['snconnect.failure'])).toMatch(/Invalid table|HTTP 400/);
      expect(await (await s.service.registry.get('work')).stats()).toEqual({ depth: 0, inFlight: 0 });
    } finally {
      await s.service.stop();
    }
  });

  it('deactivates when attempts run out with neither a dead-letter store nor max.delivery.drop, keeping the message', async () => {
    const s = setup([{ name: 'work', parameters: {} }], [forwarding('forwarder', 'work', { 'max.delivery.attempts': '2', 'client.retry.interval': '10' })]);
    try {
      await s.intake({ short_description: 'never', correlation_id: `NEVER-${run}` }, { table: 'no_such_table' });
      await s.service.start();
      const processor = s.service.processors[0];
      await until('deactivated', () => !processor.active);
      expect(s.service.registry.counters('work').retried).toBe(1);
      expect(await (await s.service.registry.get('work')).stats()).toEqual({ depth: 1, inFlight: 0 });
    } finally {
      await s.service.stop();
    }
  });

  it('does not retry a status listed in non.retry.status.codes, and drops after attempts with max.delivery.drop', async () => {
    const s = setup(
      [{ name: 'a', parameters: {} }, { name: 'b', parameters: {} }, { name: 'dlq', parameters: {} }],
      [
        forwarding('p1', 'a', { 'non.retry.status.codes': '400, 404', 'message.processor.failMessagesStore': 'dlq' }),
        forwarding('p2', 'b', { 'max.delivery.attempts': '2', 'client.retry.interval': '10', 'max.delivery.drop': 'Enabled' }),
      ],
    );
    try {
      await s.intake({ correlation_id: `NR-${run}` }, { table: 'no_such_table', store: 'a' });
      await s.intake({ correlation_id: `DROP-${run}` }, { table: 'no_such_table', store: 'b' });
      await s.service.start();
      await until('dead-lettered at once', () => s.service.registry.counters('a').deadLettered === 1);
      expect(s.service.registry.counters('a').retried).toBe(0);
      await until('dropped', () => s.service.registry.counters('b').dropped === 1);
      expect(s.service.registry.counters('b').retried).toBe(1);
      expect(s.service.processors.every((p) => p.active)).toBe(true);
    } finally {
      await s.service.stop();
    }
  });

  it('looks a redelivered create up first, so a record a dead consumer created is not created twice', async () => {
    const id = `REDELIVER-${run}`;
    sim.db.insert('incident', { short_description: 'created by a consumer that died', correlation_id: id });
    const s = setup([{ name: 'work', parameters: {} }], [forwarding('forwarder', 'work', {})]);
    try {
      await s.intake({ short_description: 'again', correlation_id: id });
      const store = await s.service.registry.get('work');
      await (await store.claim())!.release(); // its first delivery ended without an ack
      await s.service.start();
      await until('delivered', () => s.service.registry.counters('work').delivered === 1);
      expect(sim.db.count('incident', `correlation_id=${id}`)).toBe(1);
    } finally {
      await s.service.stop();
    }
  });

  it('reports a processor whose store, sequence or dead-letter store is not defined, with the parameter', () => {
    const make = (p: MessageProcessorConfig) => () => setup([{ name: 'work', parameters: {} }], [p]);
    expect(make(forwarding('x', 'nope', {}))).toThrow(/message processor 'x': its message store 'nope' is not defined \(stores: work\)/);
    expect(make(forwarding('x', 'work', { sequence: 'missing' }))).toThrow(/the sequence 'missing' is not defined/);
    expect(make(forwarding('x', 'work', { 'message.processor.failMessagesStore': 'gone' }))).toThrow(/the store 'gone' is not defined/);
    expect(make(forwarding('x', 'work', { 'max.delivery.attempts': 'many' }))).toThrow(/'max.delivery.attempts' must be a whole number/);
    expect(make(forwarding('x', 'work', { 'non.retry.status.codes': '400,abc' }))).toThrow(/'abc' is not one/);
  });
});

describe('sampling processor', () => {
  it('takes up to `concurrency` messages per interval and runs its sequence, acknowledging them when taken', async () => {
    const s = setup(
      [{ name: 'samples', parameters: {} }],
      [{ name: 'sampler', className: 'org.apache.synapse.message.processor.impl.sampler.SamplingProcessor', messageStore: 'samples', parameters: { sequence: 'sample', interval: '20', concurrency: '2' } }],
    );
    try {
      const ids = [1, 2, 3].map((i) => `SAMPLE-${run}-${i}`);
      for (const id of ids) await s.intake({ short_description: id, correlation_id: id });
      await s.service.start();
      await until('all sampled', async () => ids.every((id) => sim.db.count('incident', `correlation_id=${id}`) === 1));
      expect(s.service.registry.counters('samples').delivered).toBe(3);
    } finally {
      await s.service.stop();
    }
  });
});
