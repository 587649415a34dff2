// The artifacts the crash test and the forwarding benchmark deploy to their worker processes: a main store and a
// dead-letter store on the chosen backend, a forwarding processor, and the sequence that creates the incident
// with an idempotency field (the shape of examples/store-and-forward). Also the cleanup of what they leave.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreRegistry, type MessageStoreConfig } from '../../src/store/index.js';

export type Backend = 'rabbitmq' | 'postgres' | 'disk';

export interface Deployment {
  dir: string;
  stores: MessageStoreConfig[];
  main: string;
  dlq: string;
}

function storeParameters(backend: Backend, name: string, dir: string, leaseMs: number): { className: string; parameters: Record<string, string> } {
  switch (backend) {
    case 'rabbitmq':
      return {
        className: 'org.apache.synapse.message.store.impl.rabbitmq.RabbitMQStore',
        parameters: { 'store.rabbitmq.host.name': '127.0.0.1', 'store.rabbitmq.queue.name': name, 'store.producer.guaranteed.delivery.enable': 'true' },
      };
    case 'postgres':
      return {
        className: 'org.apache.synapse.message.store.impl.jdbc.JDBCMessageStore',
        parameters: { 'store.jdbc.connection.url': 'jdbc:postgresql://127.0.0.1:5432/test', 'store.jdbc.username': 'postgres', 'store.jdbc.table': name, 'store.claim.lease.ms': String(leaseMs) },
      };
    case 'disk':
      return { className: 'disk', parameters: { 'store.disk.path': join(dir, 'stores.db'), 'store.jdbc.table': name, 'store.claim.lease.ms': String(leaseMs) } };
  }
}

export async function writeDeployment(options: {
  dir: string;
  backend: Backend;
  prefix: string;
  instanceUrl: string;
  members: number;
  leaseMs: number;
  intervalMs: number;
}): Promise<Deployment> {
  const { dir, backend, prefix } = options;
  await mkdir(dir, { recursive: true });
  const main = `${prefix}_main`;
  const dlq = `${prefix}_dlq`;
  const stores: MessageStoreConfig[] = [main, dlq].map((name) => ({ name, ...storeParameters(backend, name, dir, options.leaseMs) }));
  const xmlParams = (p: Record<string, string>) => Object.entries(p).map(([k, v]) => `    <parameter name="${k}">${v}</parameter>`).join('\n');
  const xml = `<definitions xmlns="http://ws.apache.org/ns/synapse">
${stores.map((s) => `  <messageStore name="${s.name}" class="${s.className}">\n${xmlParams(s.parameters)}\n  </messageStore>`).join('\n')}
  <messageProcessor name="forwarder" class="org.apache.synapse.message.processor.impl.forwarder.ScheduledMessageForwardingProcessor" messageStore="${main}">
${xmlParams({
  sequence: 'CreateIncident',
  interval: String(options.intervalMs),
  'client.retry.interval': '200',
  'max.delivery.attempts': '50',
  'message.processor.failMessagesStore': dlq,
  'member.count': String(options.members),
})}
  </messageProcessor>
  <localEntry key="ServiceNowConfig">
    <servicenow.init>
      <serviceNowInstanceURL>${options.instanceUrl}</serviceNowInstanceURL>
      <username>admin</username>
      <password>admin</password>
    </servicenow.init>
  </localEntry>
  <sequence name="CreateIncident">
    <servicenow.postRecord configKey="ServiceNowConfig">
      <tableName>incident</tableName>
      <payload>{json-eval($)}</payload>
      <idempotencyField>correlation_id</idempotencyField>
    </servicenow.postRecord>
  </sequence>
</definitions>
`;
  await writeFile(join(dir, 'deployment.xml'), xml);
  return { dir, stores, main, dlq };
}

/** Deletes the queues or tables of a deployment. */
export async function removeDeployment(d: Deployment): Promise<void> {
  const registry = new StoreRegistry(d.stores);
  try {
    for (const name of registry.names()) {
      const store = (await registry.get(name)) as unknown as { deleteQueue?: () => Promise<void>; drop?: () => Promise<void>; purge(): Promise<number> };
      if (store.deleteQueue) await store.deleteQueue();
      else if (store.drop) await store.drop();
      else await store.purge();
    }
  } finally {
    await registry.closeAll();
  }
}
