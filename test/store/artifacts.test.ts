// The store-and-forward example (examples/store-and-forward: an API storing incident requests in a RabbitMQ
// store, a forwarding processor whose sequence calls postRecord with idempotencyField) loaded by the artifact
// loader as it is, with only the instance URL and queue names changed, and run by its background service.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifacts, loadArtifacts, type ArtifactSet, type ServiceHost } from '../../src/artifacts/index.js';
import { MessageContext } from '../../src/context/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { ConnectionPool, runFlow } from '../../src/mediation/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { StoreRegistry, onStoreServiceStart, storeArtifactsOf, type StoreService } from '../../src/store/index.js';

const example = join(import.meta.dirname, '..', '..', 'examples', 'store-and-forward');
const run = randomUUID().slice(0, 8);
let sim: RunningSimulator;
let connector: Connector;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  connector = await loadConnector();
  dir = await mkdtemp(join(tmpdir(), 'snc-example-'));
  await cp(example, dir, { recursive: true });
  for (const f of await readdir(dir)) {
    const text = await readFile(join(dir, f), 'utf8');
    await writeFile(join(dir, f), text.replace('http://127.0.0.1:8080', sim.url).replace(/>incident-requests(-dlq)?</g, (_, dlq: string | undefined) => `>snc_test_${run}${dlq ?? ''}<`));
  }
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

function hostFor(set: ArtifactSet): ServiceHost & { pool: ConnectionPool } {
  const pool = new ConnectionPool(connector);
  return {
    artifacts: set,
    connector,
    pool,
    logger: { log() {} },
    runSequence: (name, ctx) => runFlow(set.flow, { connector, sequence: name, context: ctx, pool }),
  };
}

describe('store artifacts', () => {
  it('runs the store-and-forward example: the API stores, the processor creates each incident once', async () => {
    const set = await loadArtifacts([dir], { connector });
    const { stores, processors } = storeArtifactsOf(set);
    expect(stores.map((s) => s.name).sort()).toEqual(['IncidentDeadLetters', 'IncidentStore']);
    expect(processors.map((p) => p.name)).toEqual(['IncidentForwarder']);
    const host = hostFor(set);
    let service: StoreService | undefined;
    onStoreServiceStart((s) => (service = s));
    expect(set.services).toHaveLength(1);
    await set.services[0].start(host);
    try {
      const ids = [1, 2, 3, 4, 5].map((i) => `EX-${run}-${i}`);
      const api = set.apis[0];
      for (const id of ids) {
        const ctx = new MessageContext({ payload: { short_description: `example ${id}`, correlation_id: id, urgency: '2' } });
        const result = await host.runSequence(api.resources[0].inSequence, ctx);
        expect(result.outcome).toBe('completed');
      }
      const counters = service!.registry.counters('IncidentStore');
      expect(counters.stored).toBe(5);
      const end = Date.now() + 20_000;
      while (counters.delivered < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(counters.delivered).toBe(5);
      for (const id of ids) expect(sim.db.list('incident', `correlation_id=${id}`).map((r) => r.urgency)).toEqual(['2']);
      const dlq = await service!.registry.get('IncidentDeadLetters');
      expect((await dlq.stats()).depth).toBe(0);
    } finally {
      const registry = new StoreRegistry(stores);
      for (const name of registry.names()) await ((await registry.get(name)) as unknown as { deleteQueue(): Promise<void> }).deleteQueue();
      await registry.closeAll();
      await set.services[0].stop();
      await host.pool.closeAll();
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
