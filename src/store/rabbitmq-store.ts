// WSO2's RabbitMQStore (org.apache.synapse.message.store.impl.rabbitmq.RabbitMQStore) on amqplib: a durable
// queue, persistent messages, publisher confirms when store.producer.guaranteed.delivery.enable=true, and
// manual acks, so a message claimed by a process that dies goes back to the queue for another one.
import type amqp from 'amqplib';
import { AmqpConnection } from './rabbitmq-connection.js';
import { ENVELOPE_CONTENT_TYPE, decodeMessage, encodeMessage } from './message-codec.js';
import type { ParameterReader } from './parameters.js';
import type { Delivery, MessageStore, StoreStats, StoredMessage } from './types.js';

export class RabbitMQStore implements MessageStore {
  readonly kind = 'rabbitmq';
  private readonly connection: AmqpConnection;
  private readonly queue: string;
  private readonly exchange: string;
  private readonly routingKey: string;
  private readonly guaranteed: boolean;
  private publisher: Promise<amqp.Channel> | undefined;
  private consumer: Promise<amqp.Channel> | undefined;
  private readonly held = new Set<symbol>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly name: string,
    params: ParameterReader,
    onError: (err: unknown) => void,
  ) {
    this.queue = params.text('store.rabbitmq.queue.name', name);
    this.exchange = params.text('store.rabbitmq.exchange.name', '');
    this.routingKey = params.text('store.rabbitmq.route.key', this.queue);
    this.guaranteed = params.boolean('store.producer.guaranteed.delivery.enable', false);
    this.connection = new AmqpConnection(
      `message store '${name}'`,
      {
        host: params.text('store.rabbitmq.host.name', 'localhost'),
        port: params.integer('store.rabbitmq.host.port', 5672, 1),
        username: params.text('store.rabbitmq.username', 'guest'),
        password: params.text('store.rabbitmq.password', 'guest'),
        virtualHost: params.text('store.rabbitmq.virtual.host', '/'),
        heartbeatSeconds: params.integer('store.rabbitmq.heartbeat', 30, 0),
      },
      onError,
    );
  }

  /** A channel with the queue (and exchange binding) declared; opened again when it was closed. */
  private channel(kind: 'publisher' | 'consumer'): Promise<amqp.Channel> {
    const existing = kind === 'publisher' ? this.publisher : this.consumer;
    if (existing) return existing;
    const opened = (async () => {
      const model = await this.connection.get();
      let ch: amqp.Channel;
      try {
        ch = kind === 'publisher' && this.guaranteed ? await model.createConfirmChannel() : await model.createChannel();
        await ch.assertQueue(this.queue, { durable: true });
        if (this.exchange) {
          await ch.assertExchange(this.exchange, 'direct', { durable: true });
          await ch.bindQueue(this.queue, this.exchange, this.routingKey);
        }
      } catch (err) {
        throw this.connection.failure(`cannot use the queue '${this.queue}'`, err);
      }
      const forget = () => {
        if (kind === 'publisher') this.publisher = undefined;
        else this.consumer = undefined;
      };
      ch.on('close', forget);
      ch.on('error', forget);
      return ch;
    })();
    opened.catch(() => {
      if (kind === 'publisher') this.publisher = undefined;
      else this.consumer = undefined;
    });
    if (kind === 'publisher') this.publisher = opened;
    else this.consumer = opened;
    return opened;
  }

  async store(message: StoredMessage): Promise<void> {
    const ch = await this.channel('publisher');
    const body = Buffer.from(encodeMessage(message));
    const options: amqp.Options.Publish = { persistent: true, contentType: ENVELOPE_CONTENT_TYPE, messageId: message.id, timestamp: Math.floor(message.storedAt / 1000) };
    if (!this.guaranteed) {
      ch.publish(this.exchange, this.routingKey, body, options);
      return;
    }
    // With confirms, the broker has written the message (to disk, for a durable queue) before we say it is stored.
    await new Promise<void>((resolve, reject) => {
      (ch as amqp.ConfirmChannel).publish(this.exchange, this.routingKey, body, options, (err) =>
        err ? reject(this.connection.failure('the broker did not confirm the message', err)) : resolve(),
      );
    });
  }

  async claim(): Promise<Delivery | undefined> {
    const ch = await this.channel('consumer');
    let msg: amqp.GetMessage | false;
    try {
      msg = await ch.get(this.queue, { noAck: false });
    } catch (err) {
      throw this.connection.failure(`cannot read the queue '${this.queue}'`, err);
    }
    if (msg === false) return undefined;
    const got = msg;
    const token = Symbol('held');
    this.held.add(token);
    const headers = (got.properties.headers ?? {}) as Record<string, unknown>;
    // Quorum queues count deliveries; classic queues only say whether the message was delivered before.
    const counted = Number(headers['x-delivery-count']);
    const deliveryCount = Number.isInteger(counted) ? counted + 1 : got.fields.redelivered ? 2 : 1;
    const fallbackId = typeof got.properties.messageId === 'string' ? got.properties.messageId : `${this.queue}:${got.fields.deliveryTag}`;
    const message = decodeMessage(got.content.toString('utf8'), {
      id: fallbackId,
      contentType: typeof got.properties.contentType === 'string' && got.properties.contentType !== ENVELOPE_CONTENT_TYPE ? got.properties.contentType : undefined,
    });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      this.held.delete(token);
      try {
        action();
      } catch {
        // The channel closed meanwhile: the broker has put the message back already.
      }
    };
    return {
      message,
      deliveryCount,
      ack: async () => settle(() => ch.ack(got)),
      release: async (delayMs = 0) => {
        if (delayMs <= 0) return settle(() => ch.nack(got, false, true));
        // RabbitMQ has no delayed requeue: keep the message (unacked, so still ours) until the delay is over.
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          settle(() => ch.nack(got, false, true));
        }, delayMs);
        timer.unref();
        this.timers.add(timer);
      },
    };
  }

  async stats(): Promise<StoreStats> {
    const ch = await this.channel('consumer');
    const q = await ch.checkQueue(this.queue);
    // AMQP tells the ready count only; in-flight is what this process holds.
    return { depth: q.messageCount, inFlight: this.held.size };
  }

  async peek(limit: number): Promise<StoredMessage[]> {
    // AMQP has no browse: take messages and put them back (they come back marked redelivered).
    const model = await this.connection.get();
    const ch = await model.createChannel();
    const out: StoredMessage[] = [];
    try {
      for (let i = 0; i < limit; i++) {
        const msg = await ch.get(this.queue, { noAck: false });
        if (msg === false) break;
        out.push(decodeMessage(msg.content.toString('utf8'), { id: String(msg.properties.messageId ?? msg.fields.deliveryTag) }));
      }
      ch.nackAll(true);
    } finally {
      await ch.close().catch(() => {});
    }
    return out;
  }

  async purge(): Promise<number> {
    const ch = await this.channel('consumer');
    return (await ch.purgeQueue(this.queue)).messageCount;
  }

  /** Deletes the queue (tests clean up after themselves). */
  async deleteQueue(): Promise<void> {
    const ch = await this.channel('consumer');
    await ch.deleteQueue(this.queue);
    if (this.exchange) await ch.deleteExchange(this.exchange);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held.clear();
    await this.connection.close();
  }
}
