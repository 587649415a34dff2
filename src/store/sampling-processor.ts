// WSO2's Message Sampling Processor: every `interval` it takes up to `concurrency` messages and injects each
// into `sequence`. A message is acknowledged when taken, so there is no delivery guarantee (as in WSO2): it
// paces work, it does not retry it.
import type { Logger } from '../logger.js';
import { toMessageContext } from './message-codec.js';
import { ParameterReader } from './parameters.js';
import type { MessageProcessorConfig, Processor, SequenceRunner } from './processor-types.js';
import type { StoreRegistry } from './registry.js';
import { Waiter } from './waiter.js';

export interface SamplingSettings {
  intervalMs: number;
  concurrency: number;
  sequence: string;
  active: boolean;
}

export function samplingSettings(config: MessageProcessorConfig): SamplingSettings {
  const p = new ParameterReader(`message processor '${config.name}'`, config.parameters);
  return {
    intervalMs: p.integer('interval', 1000, 1),
    concurrency: p.integer('concurrency', 1, 1),
    sequence: p.required('sequence'),
    active: p.boolean('is.active', true),
  };
}

export class SamplingProcessor implements Processor {
  readonly kind = 'sampling';
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly waiter = new Waiter();

  constructor(
    readonly name: string,
    private readonly storeName: string,
    private readonly settings: SamplingSettings,
    private readonly stores: StoreRegistry,
    private readonly sequences: SequenceRunner,
    private readonly logger: Logger,
  ) {}

  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running || !this.settings.active) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    this.waiter.wakeAll();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const store = await this.stores.get(this.storeName);
        const flows: Promise<unknown>[] = [];
        for (let i = 0; i < this.settings.concurrency; i++) {
          const delivery = await store.claim();
          if (!delivery) break;
          await delivery.ack();
          this.stores.counters(this.storeName).delivered++;
          flows.push(
            this.sequences.run(this.settings.sequence, toMessageContext(delivery.message)).then((r) => {
              if (r.outcome === 'fault') this.logger.log('warn', `message processor '${this.name}': message ${delivery.message.id} ended in a fault: ${r.error?.message ?? ''}`);
            }),
          );
        }
        await Promise.all(flows);
      } catch (err) {
        this.logger.log('warn', `message processor '${this.name}': ${err instanceof Error ? err.message : String(err)}`);
      }
      await this.waiter.sleep(this.settings.intervalMs);
    }
  }
}
