// The in-memory store (WSO2's default when <messageStore> names no class): one process, lost when it stops.
import type { Delivery, MessageStore, StoreStats, StoredMessage } from './types.js';

interface Entry {
  message: StoredMessage;
  deliveries: number;
}

export class MemoryStore implements MessageStore {
  readonly kind = 'memory';
  private ready: Entry[] = [];
  private head = 0;
  private readonly inFlight = new Set<Entry>();
  private readonly delayed = new Set<NodeJS.Timeout>();

  constructor(readonly name: string) {}

  async store(message: StoredMessage): Promise<void> {
    this.ready.push({ message: structuredClone(message), deliveries: 0 });
  }

  async claim(): Promise<Delivery | undefined> {
    if (this.head >= this.ready.length) return undefined;
    const entry = this.ready[this.head++];
    // Compact now and then so a long-running queue does not keep every message ever stored.
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    entry.deliveries++;
    this.inFlight.add(entry);
    let settled = false;
    return {
      message: structuredClone(entry.message),
      deliveryCount: entry.deliveries,
      ack: async () => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(entry);
      },
      release: async (delayMs = 0) => {
        if (settled) return;
        settled = true;
        if (delayMs <= 0) {
          this.inFlight.delete(entry);
          this.ready.splice(this.head, 0, entry);
          return;
        }
        const timer = setTimeout(() => {
          this.delayed.delete(timer);
          this.inFlight.delete(entry);
          this.ready.push(entry);
        }, delayMs);
        timer.unref();
        this.delayed.add(timer);
      },
    };
  }

  async stats(): Promise<StoreStats> {
    return { depth: this.ready.length - this.head, inFlight: this.inFlight.size };
  }

  async peek(limit: number): Promise<StoredMessage[]> {
    return this.ready.slice(this.head, this.head + limit).map((e) => structuredClone(e.message));
  }

  async purge(): Promise<number> {
    const n = this.ready.length - this.head;
    this.ready = [];
    this.head = 0;
    return n;
  }

  async close(): Promise<void> {
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
  }
}
