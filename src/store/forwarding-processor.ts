// WSO2's Scheduled Message Forwarding Processor: takes messages from a store and runs each through its target
// (a sequence, where the connector calls live, or an endpoint); acknowledges a message only after its flow has
// finished successfully. A failed message is retried every client.retry.interval, up to max.delivery.attempts,
// while the processor goes on with the messages behind it; then it goes to the dead-letter store
// (message.processor.failMessagesStore), is dropped (max.delivery.drop), or the processor deactivates.
import { DELIVERY_COUNT_PROPERTY } from '../invoke/index.js';
import type { Logger } from '../logger.js';
import { deliveryOutcome, type DeliveryOutcome } from './delivery-outcome.js';
import { toMessageContext } from './message-codec.js';
import { ParameterReader } from './parameters.js';
import type { EndpointSender, MessageProcessorConfig, Processor, SequenceRunner } from './processor-types.js';
import type { StoreRegistry } from './registry.js';
import type { Delivery, MessageStore, StoreCounters } from './types.js';
import { Waiter } from './waiter.js';

export interface ForwardingSettings {
  intervalMs: number;
  retryIntervalMs: number;
  /** 0 or less: unlimited. */
  maxAttempts: number;
  dropAfterMaxAttempts: boolean;
  failStore?: string;
  nonRetryStatus: Set<number>;
  members: number;
  active: boolean;
  target: { kind: 'sequence'; name: string } | { kind: 'endpoint'; name: string };
  replySequence?: string;
  faultSequence?: string;
  deactivateSequence?: string;
  storeRetryIntervalMs: number;
}

export function forwardingSettings(config: MessageProcessorConfig): ForwardingSettings {
  const p = new ParameterReader(`message processor '${config.name}'`, config.parameters);
  const endpoint = config.targetEndpoint ?? p.text('target.endpoint');
  const sequence = p.text('sequence') ?? p.text('message.processor.sequence');
  if (endpoint && sequence) p.fail('sequence', 'and targetEndpoint are both set; a forwarding processor has one target');
  if (!endpoint && !sequence) p.fail('sequence', 'is missing: set targetEndpoint="..." or <parameter name="sequence"> to the sequence that delivers each message');
  return {
    intervalMs: p.integer('interval', 1000, 1),
    retryIntervalMs: p.integer('client.retry.interval', 1000, 0),
    maxAttempts: maxAttempts(p),
    dropAfterMaxAttempts: p.boolean('max.delivery.drop', false),
    failStore: p.text('message.processor.failMessagesStore'),
    nonRetryStatus: p.statusCodes('non.retry.status.codes'),
    members: p.integer('member.count', 1, 1),
    active: p.boolean('is.active', true),
    target: endpoint ? { kind: 'endpoint', name: endpoint } : { kind: 'sequence', name: sequence! },
    replySequence: p.text('message.processor.reply.sequence'),
    faultSequence: p.text('message.processor.fault.sequence'),
    deactivateSequence: p.text('message.processor.deactivate.sequence'),
    storeRetryIntervalMs: p.integer('store.connection.retry.interval', 1000, 1),
  };
}

function maxAttempts(p: ParameterReader): number {
  if (!p.has('max.delivery.attempts')) return 4; // WSO2's default
  const raw = p.required('max.delivery.attempts');
  if (raw === '-1') return 0;
  return p.integer('max.delivery.attempts', 4, 1);
}

/** Properties a dead-lettered copy carries: where it came from, why it failed, how often it was tried. */
export const ORIGIN_PROPERTY = 'snconnect.origin.store';
export const FAILURE_PROPERTY = 'snconnect.failure';
export const ATTEMPTS_PROPERTY = 'snconnect.attempts';

function earlierAttempts(delivery: Delivery): number {
  const n = Number(delivery.message.properties[ATTEMPTS_PROPERTY] ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** A message that failed and waits for its next attempt; it stays claimed, so no one else takes it meanwhile. */
interface Held {
  delivery: Delivery;
  attempt: number;
  dueAt: number;
}

export class ForwardingProcessor implements Processor {
  readonly kind = 'forwarding';
  private running = false;
  private isActive: boolean;
  private readonly waiter = new Waiter();
  private readonly held: Held[] = [];
  private workers: Promise<void>[] = [];
  private store: MessageStore | undefined;
  private readonly counters: StoreCounters;

  constructor(
    readonly name: string,
    private readonly storeName: string,
    private readonly settings: ForwardingSettings,
    private readonly stores: StoreRegistry,
    private readonly sequences: SequenceRunner,
    private readonly endpoints: EndpointSender | undefined,
    private readonly logger: Logger,
  ) {
    this.isActive = settings.active;
    this.counters = stores.counters(storeName);
  }

  get active(): boolean {
    return this.isActive && this.running;
  }

  /** Messages at most held for a retry at once; beyond that the workers wait for those instead of claiming more. */
  private get maxHeld(): number {
    return this.settings.members * 4;
  }

  start(): void {
    if (this.running || !this.isActive) return;
    this.running = true;
    this.workers = Array.from({ length: this.settings.members }, (_, i) => this.work(i));
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    this.waiter.wakeAll();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.workers), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    // Messages waiting for a retry go back to the store for whoever runs next.
    await Promise.all(this.held.splice(0).map((h) => h.delivery.release().catch(() => {})));
  }

  private async work(member: number): Promise<void> {
    while (this.running && this.isActive) {
      try {
        const job = await this.next();
        if (job === 'wait') continue;
        await this.deliver(job.delivery, job.attempt);
      } catch (err) {
        // The store is unreachable: report it and try again later; nothing is lost (claims come back).
        this.logger.log('warn', `message processor '${this.name}' (member ${member + 1}): ${err instanceof Error ? err.message : String(err)}`);
        await this.waiter.sleep(this.settings.storeRetryIntervalMs);
      }
    }
  }

  /** A held message whose retry is due, else a newly claimed one, else 'wait' after sleeping. */
  private async next(): Promise<{ delivery: Delivery; attempt: number } | 'wait'> {
    const now = Date.now();
    const due = this.held.findIndex((h) => h.dueAt <= now);
    if (due >= 0) return this.held.splice(due, 1)[0];
    if (this.held.length < this.maxHeld) {
      this.store ??= await this.stores.get(this.storeName);
      const delivery = await this.store.claim();
      if (delivery) return { delivery, attempt: delivery.deliveryCount };
    }
    const nextDue = this.held.reduce((min, h) => Math.min(min, h.dueAt), Infinity);
    await this.waiter.sleep(Math.min(this.settings.intervalMs, nextDue - now));
    return 'wait';
  }

  private async deliver(delivery: Delivery, attempt: number): Promise<void> {
    const ctx = toMessageContext(delivery.message);
    // A message requeued from a dead-letter store was tried before under another id: count those attempts too,
    // so its create is looked up before it is sent again.
    ctx.setProperty(DELIVERY_COUNT_PROPERTY, attempt + earlierAttempts(delivery));
    // The status the storing flow had is not this delivery's: only what the target answers now counts.
    ctx.removeProperty('HTTP_SC', 'axis2');
    ctx.removeProperty('HTTP_SC');
    const outcome = await this.forward(ctx);
    if (outcome.ok) {
      await delivery.ack();
      this.counters.delivered++;
      if (this.settings.replySequence) await this.sequences.run(this.settings.replySequence, ctx);
      return;
    }
    const id = delivery.message.id;
    if (outcome.status !== undefined && this.settings.nonRetryStatus.has(outcome.status)) {
      this.logger.log('warn', `message processor '${this.name}': message ${id} got HTTP ${outcome.status}, listed in non.retry.status.codes; not retried`);
      return this.giveUp(delivery, attempt, outcome, ctx);
    }
    const max = this.settings.maxAttempts;
    if (max > 0 && attempt >= max) return this.giveUp(delivery, attempt, outcome, ctx);
    this.counters.retried++;
    this.logger.log('info', `message processor '${this.name}': message ${id} failed (attempt ${attempt}${max > 0 ? ` of ${max}` : ''}): ${outcome.reason}; retry in ${this.settings.retryIntervalMs} ms`);
    this.held.push({ delivery, attempt: attempt + 1, dueAt: Date.now() + this.settings.retryIntervalMs });
    this.waiter.wakeAll();
  }

  private async forward(ctx: ReturnType<typeof toMessageContext>): Promise<DeliveryOutcome> {
    const target = this.settings.target;
    if (target.kind === 'sequence') return deliveryOutcome(await this.sequences.run(target.name, ctx));
    try {
      const status = await this.endpoints!.send(target.name, ctx);
      return status >= 400 ? { ok: false, status, reason: `the endpoint answered HTTP ${status}` } : { ok: true, status };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Attempts are used up (or the status says not to retry): dead-letter store, drop, or deactivate. */
  private async giveUp(delivery: Delivery, attempt: number, outcome: DeliveryOutcome, ctx: ReturnType<typeof toMessageContext>): Promise<void> {
    const id = delivery.message.id;
    const failStore = this.settings.failStore;
    if (failStore) {
      const copy = structuredClone(delivery.message);
      copy.properties[ORIGIN_PROPERTY] = this.storeName;
      copy.properties[FAILURE_PROPERTY] = outcome.reason ?? 'failed';
      copy.properties[ATTEMPTS_PROPERTY] = attempt + earlierAttempts(delivery);
      // Into the dead-letter store first, then off the main one: a crash in between leaves a copy in both, never none.
      await (await this.stores.get(failStore)).store(copy);
      this.stores.counters(failStore).stored++;
      await delivery.ack();
      this.counters.deadLettered++;
      this.logger.log('warn', `message processor '${this.name}': message ${id} moved to '${failStore}' after ${attempt} attempt(s): ${outcome.reason}`);
    } else if (this.settings.dropAfterMaxAttempts || (outcome.status !== undefined && this.settings.nonRetryStatus.has(outcome.status))) {
      await delivery.ack();
      this.counters.dropped++;
      this.logger.log('warn', `message processor '${this.name}': message ${id} dropped after ${attempt} attempt(s): ${outcome.reason}`);
    } else {
      // WSO2: with neither a dead-letter store nor max.delivery.drop, the processor stops and the message stays.
      this.isActive = false;
      await delivery.release();
      await Promise.all(this.held.splice(0).map((h) => h.delivery.release().catch(() => {})));
      this.waiter.wakeAll();
      this.logger.log('error', `message processor '${this.name}': deactivated after message ${id} failed ${attempt} time(s): ${outcome.reason}; it stays in '${this.storeName}'`);
      if (this.settings.deactivateSequence) await this.sequences.run(this.settings.deactivateSequence, ctx);
    }
    if (this.settings.faultSequence) await this.sequences.run(this.settings.faultSequence, ctx);
  }
}
