// Which backend a <messageStore class="..."> means, and its file loaded only when a config names it, so a
// start-up without a broker never loads amqplib, pg or better-sqlite3.
import { ConnectorError } from '../errors.js';
import { MemoryStore } from './memory-store.js';
import { ParameterReader } from './parameters.js';
import type { MessageStore, MessageStoreConfig } from './types.js';

export type BackendKind = 'memory' | 'disk' | 'rabbitmq' | 'postgres';

const CLASSES: Record<string, BackendKind | 'jdbc'> = {
  'org.apache.synapse.message.store.impl.memory.InMemoryStore': 'memory',
  'org.apache.synapse.message.store.impl.rabbitmq.RabbitMQStore': 'rabbitmq',
  'org.apache.synapse.message.store.impl.jdbc.JDBCMessageStore': 'jdbc',
  // Short names of our own.
  memory: 'memory',
  disk: 'disk',
  sqlite: 'disk',
  rabbitmq: 'rabbitmq',
  jdbc: 'jdbc',
  postgres: 'postgres',
  postgresql: 'postgres',
};

export function backendKind(config: MessageStoreConfig): BackendKind {
  const className = config.className?.trim();
  if (!className) return 'memory';
  const kind = CLASSES[className];
  if (!kind) {
    const where = config.file ? `${config.file}:${config.line ?? 0}: ` : '';
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      parameter: 'class',
      message: `${where}message store '${config.name}': class '${className}' is not supported (use ${Object.keys(CLASSES).filter((c) => c.includes('.')).join(', ')}, or one of memory, disk, rabbitmq, postgres)`,
    });
  }
  if (kind !== 'jdbc') return kind;
  // A JDBC store is PostgreSQL, or the on-disk store when its URL is jdbc:sqlite:...
  return (config.parameters['store.jdbc.connection.url'] ?? '').trim().startsWith('jdbc:sqlite:') ? 'disk' : 'postgres';
}

export async function openBackend(config: MessageStoreConfig, onError: (err: unknown) => void): Promise<MessageStore> {
  const params = new ParameterReader(`message store '${config.name}'`, config.parameters);
  switch (backendKind(config)) {
    case 'memory':
      return new MemoryStore(config.name);
    case 'disk': {
      const { DiskStore } = await import('./disk-store.js').catch((err: unknown) => {
        throw new ConnectorError({
          code: 'CONNECTION_ERROR',
          message: `message store '${config.name}': the on-disk store needs better-sqlite3, which did not load (${err instanceof Error ? err.message : String(err)}); reinstall with npm ci so it is built`,
        });
      });
      return new DiskStore(config.name, params, onError);
    }
    case 'rabbitmq': {
      const { RabbitMQStore } = await import('./rabbitmq-store.js');
      return new RabbitMQStore(config.name, params, onError);
    }
    case 'postgres': {
      const { PostgresStore } = await import('./postgres-store.js');
      return new PostgresStore(config.name, params, onError);
    }
  }
}
