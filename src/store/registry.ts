// The message stores of a deployment by name: opened on first use, with the counters /metrics and
// `snconnect store list` show. It is what the <store> mediator writes through.
import { ConnectorError } from '../errors.js';
import type { MessageContext } from '../context/index.js';
import { quietLogger, type Logger } from '../logger.js';
import { backendKind, openBackend } from './backends.js';
import { FailoverStore } from './failover-store.js';
import { toStoredMessage } from './message-codec.js';
import type { MessageStore, MessageStoreConfig, StoreCounters } from './types.js';

export class StoreRegistry {
  private readonly configs = new Map<string, MessageStoreConfig>();
  private readonly open = new Map<string, Promise<MessageStore>>();
  private readonly counts = new Map<string, StoreCounters>();

  constructor(
    configs: readonly MessageStoreConfig[],
    private readonly logger: Logger = quietLogger,
  ) {
    for (const c of configs) {
      if (this.configs.has(c.name)) {
        throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: 'name', message: `${c.file ?? ''}${c.file ? `:${c.line ?? 0}: ` : ''}message store '${c.name}' is defined twice` });
      }
      backendKind(c); // an unknown class is reported now, not at the first message
      this.configs.set(c.name, c);
    }
    for (const c of configs) {
      const failover = c.parameters['store.failover.message.store.name']?.trim();
      if (failover && !this.configs.has(failover)) {
        throw new ConnectorError({
          code: 'INVALID_PARAMETER',
          parameter: 'store.failover.message.store.name',
          message: `message store '${c.name}': its failover store '${failover}' is not defined (stores: ${this.names().join(', ')})`,
        });
      }
    }
  }

  names(): string[] {
    return [...this.configs.keys()];
  }

  config(name: string): MessageStoreConfig {
    const c = this.configs.get(name);
    if (!c) {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: 'messageStore', message: `no message store named '${name}' (stores: ${this.names().join(', ') || 'none'})` });
    }
    return c;
  }

  async get(name: string): Promise<MessageStore> {
    const config = this.config(name);
    let store = this.open.get(name);
    if (!store) {
      store = this.openStore(config);
      store.catch(() => this.open.delete(name));
      this.open.set(name, store);
    }
    return store;
  }

  private async openStore(config: MessageStoreConfig): Promise<MessageStore> {
    const main = await openBackend(config, (err) => this.logger.log('warn', `message store '${config.name}': ${err instanceof Error ? err.message : String(err)}`));
    const failover = config.parameters['store.failover.message.store.name']?.trim();
    if (!failover) return main;
    return new FailoverStore(main, () => this.get(failover), this.logger, () => this.counters(failover).stored++);
  }

  counters(name: string): StoreCounters {
    let c = this.counts.get(name);
    if (!c) {
      c = { stored: 0, delivered: 0, retried: 0, deadLettered: 0, dropped: 0 };
      this.counts.set(name, c);
    }
    return c;
  }

  /** The <store> mediator: a copy of the message goes into the named store; resolves once the store has it. */
  async store(name: string, ctx: MessageContext): Promise<void> {
    const store = await this.get(name);
    await store.store(toStoredMessage(ctx));
    this.counters(name).stored++;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close()));
  }
}
