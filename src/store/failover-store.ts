// store.failover.message.store.name: when the main store cannot take a message (broker or database down), the
// message goes to the failover store instead of being lost; a processor on the failover store forwards it later
// (WSO2's pattern). Everything else is the main store's.
import type { Logger } from '../logger.js';
import type { Delivery, MessageStore, StoreStats, StoredMessage } from './types.js';

export class FailoverStore implements MessageStore {
  readonly kind: string;

  constructor(
    private readonly main: MessageStore,
    private readonly failover: () => Promise<MessageStore>,
    private readonly logger: Logger,
    private readonly onFailover: () => void,
  ) {
    this.kind = main.kind;
  }

  get name(): string {
    return this.main.name;
  }

  async store(message: StoredMessage): Promise<void> {
    try {
      await this.main.store(message);
    } catch (err) {
      const failover = await this.failover();
      this.logger.log('warn', `message store '${this.main.name}' could not take message ${message.id}; stored in its failover store '${failover.name}'`, {
        error: err instanceof Error ? err.message : String(err),
      });
      await failover.store(message);
      this.onFailover();
    }
  }

  claim(): Promise<Delivery | undefined> {
    return this.main.claim();
  }
  stats(): Promise<StoreStats> {
    return this.main.stats();
  }
  peek(limit: number): Promise<StoredMessage[]> {
    return this.main.peek(limit);
  }
  purge(): Promise<number> {
    return this.main.purge();
  }
  close(): Promise<void> {
    return this.main.close();
  }
}
