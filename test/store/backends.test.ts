// Every backend keeps the same contract, checked against the real thing: memory, the on-disk SQLite file,
// RabbitMQ on 127.0.0.1:5672 and PostgreSQL on 127.0.0.1:5432 (each test uses its own queue/table and removes it).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { StoreRegistry, toMessageContext, toStoredMessage, type MessageStore, type MessageStoreConfig } from '../../src/store/index.js';

const unique = `snc_test_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snc-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Backend {
  label: string;
  config(name: string): MessageStoreConfig;
  /** Removes what the test created on the server. */
  cleanup(store: MessageStore): Promise<void>;
}

const backends: Backend[] = [
  { label: 'memory', config: (name) => ({ name, parameters: {} }), cleanup: async () => {} },
  {
    label: 'disk',
    config: (name) => ({ name, className: 'disk', parameters: { 'store.disk.path': join(dir, 'stores.db'), 'store.jdbc.table': `${unique}_${name}`, 'store.claim.lease.ms': '300' } }),
    cleanup: async (s) => void (await s.purge()),
  },
  {
    label: 'rabbitmq',
    config: (name) => ({
      name,
      className: 'org.apache.synapse.message.store.impl.rabbitmq.RabbitMQStore',
      parameters: {
        'store.rabbitmq.host.name': '127.0.0.1',
        'store.rabbitmq.host.port': '5672',
        'store.rabbitmq.username': 'guest',
        'store.rabbitmq.password': 'guest',
        'store.rabbitmq.queue.name': `${unique}_${name}`,
        'store.producer.guaranteed.delivery.enable': 'true',
      },
    }),
    cleanup: async (s) => (s as unknown as { deleteQueue(): Promise<void> }).deleteQueue(),
  },
  {
    label: 'postgres',
    config: (name) => ({
      name,
      className: 'org.apache.synapse.message.store.impl.jdbc.JDBCMessageStore',
      parameters: {
        'store.jdbc.connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
        'store.jdbc.username': 'postgres',
        'store.jdbc.table': `${unique}_${name}`,
        'store.claim.lease.ms': '300',
      },
    }),
    cleanup: async (s) => (s as unknown as { drop(): Promise<void> }).drop(),
  },
];

function message(n: number) {
  const ctx = new MessageContext({
    payload: { n, text: `message ${n}` },
    properties: { caller: 'test', count: n, password: 'hunter2' },
    headers: { 'X-Request-Id': `r-${n}`, Authorization: 'Basic YWRtaW46aHVudGVyMg==' },
  });
  ctx.setProperty('HTTP_SC', 202, 'axis2');
  return toStoredMessage(ctx);
}

/** Claims until a message comes (a released or expired one may take a moment to be visible again). */
async function claimSoon(store: MessageStore, tries = 200) {
  for (let i = 0; i < tries; i++) {
    const d = await store.claim();
    if (d) return d;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no message came back');
}

describe.each(backends)('$label store', (backend) => {
  it('keeps a copy of payload, properties and transport headers, in order, and removes a message only on ack', async () => {
    const registry = new StoreRegistry([backend.config('basic')]);
    const store = await registry.get('basic');
    try {
      for (let i = 1; i <= 3; i++) await store.store(message(i));
      expect((await store.stats()).depth).toBe(3);

      const first = (await store.claim())!;
      expect(first.deliveryCount).toBe(1);
      const ctx = toMessageContext(first.message);
      expect(ctx.payload).toEqual({ n: 1, text: 'message 1' });
      expect(ctx.getProperty('caller')).toBe('test');
      expect(ctx.getProperty('HTTP_SC', 'axis2')).toBe(202);
      expect(ctx.getHeader('x-request-id')).toBe('r-1');
      // Secrets are never written to a store.
      expect(ctx.getProperty('password')).toBeUndefined();
      expect(ctx.getHeader('authorization')).toBeUndefined();
      expect(JSON.stringify(first.message)).not.toMatch(/hunter2|YWRtaW46/);
      expect((await store.stats()).inFlight).toBe(1);
      await first.ack();

      // Released (a failed delivery): it comes back, counted as delivered before.
      const second = (await store.claim())!;
      expect((second.message.payload as { n: number }).n).toBe(2);
      await second.release();
      const again = await claimSoon(store);
      expect((again.message.payload as { n: number }).n).toBe(2);
      expect(again.deliveryCount).toBe(2);
      await again.ack();

      const third = (await store.claim())!;
      await third.ack();
      expect(await store.claim()).toBeUndefined();
      expect(await store.stats()).toEqual({ depth: 0, inFlight: 0 });

      await store.store(message(9));
      await store.store(message(10));
      // (RabbitMQ has no browse: a peeked message comes back marked redelivered.)
      expect((await store.peek(10)).map((m) => (m.payload as { n: number }).n)).toEqual([9, 10]);
      expect(await store.purge()).toBe(2);
      expect(await store.claim()).toBeUndefined();
    } finally {
      await backend.cleanup(store);
      await registry.closeAll();
    }
  });

});

describe.each(backends.filter((b) => b.label !== 'memory'))('$label store shared by two processes', (backend) => {
  it('gives each message to one of two consumers, and a dead consumer\'s message to the other', async () => {
    const a = new StoreRegistry([backend.config('shared')]);
    const b = new StoreRegistry([backend.config('shared')]);
    const storeA = await a.get('shared');
    const storeB = await b.get('shared');
    try {
      for (let i = 1; i <= 6; i++) await storeA.store(message(i));
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) {
        for (const s of [storeA, storeB]) {
          const d = (await s.claim())!;
          seen.push((d.message.payload as { n: number }).n);
          await d.ack();
        }
      }
      expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6]);

      // A claims and dies without acking (its connection closes; for tables its lease runs out): B gets it.
      await storeA.store(message(7));
      const lost = (await storeA.claim())!;
      expect(lost.deliveryCount).toBe(1);
      await a.closeAll();
      const redelivered = await claimSoon(storeB);
      expect((redelivered.message.payload as { n: number }).n).toBe(7);
      expect(redelivered.deliveryCount).toBeGreaterThan(1);
      await redelivered.ack();
      expect(await storeB.claim()).toBeUndefined();
    } finally {
      await backend.cleanup(storeB);
      await a.closeAll();
      await b.closeAll();
    }
  });
});

describe('store configuration errors', () => {
  it('names the store, the parameter and what was wrong, before connecting', async () => {
    expect(() => new StoreRegistry([{ name: 's', className: 'com.example.JmsStore', parameters: {} }])).toThrow(/message store 's': class 'com.example.JmsStore' is not supported/);
    expect(() => new StoreRegistry([{ name: 's', parameters: { 'store.failover.message.store.name': 'nope' } }])).toThrow(/failover store 'nope' is not defined/);
    const r = new StoreRegistry([
      { name: 'pg', className: 'org.apache.synapse.message.store.impl.jdbc.JDBCMessageStore', parameters: { 'store.jdbc.connection.url': 'jdbc:mysql://u:secret@h/db' } },
      { name: 'mq', className: 'rabbitmq', parameters: { 'store.rabbitmq.host.port': 'abc' } },
    ]);
    await expect(r.get('pg')).rejects.toThrow(/'store.jdbc.connection.url' must be a jdbc:postgresql/);
    await expect(r.get('pg')).rejects.not.toThrow(/secret/);
    await expect(r.get('mq')).rejects.toThrow(/message store 'mq': 'store.rabbitmq.host.port' must be a whole number/);
    await expect(r.get('other')).rejects.toThrow(/no message store named 'other' \(stores: pg, mq\)/);
  });

  it('moves a message to the failover store when the main store cannot take it', async () => {
    const registry = new StoreRegistry([
      { name: 'main', className: 'rabbitmq', parameters: { 'store.rabbitmq.host.name': '127.0.0.1', 'store.rabbitmq.host.port': '1', 'store.rabbitmq.password': 'hunter2', 'store.failover.message.store.name': 'spare' } },
      { name: 'spare', parameters: {} },
    ]);
    try {
      await registry.store('main', new MessageContext({ payload: { kept: true } }));
      const spare = await registry.get('spare');
      expect((await spare.peek(5)).map((m) => m.payload)).toEqual([{ kept: true }]);
    } finally {
      await registry.closeAll();
    }
  });
});
