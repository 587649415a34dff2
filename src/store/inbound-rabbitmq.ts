// <inboundEndpoint protocol="rabbitmq">: consumes a queue and injects each message into its sequence, with
// WSO2's rabbitmq.* parameter names. Acknowledgement is manual by default: a message is acked only after its
// sequence finished without a fault, so a process that dies mid-flow leaves it to another consumer. A failed
// message is rejected to the queue's dead-letter exchange when one is set, else requeued after a delay.
import type amqp from 'amqplib';
import { DELIVERY_COUNT_PROPERTY } from '../invoke/index.js';
import type { Logger } from '../logger.js';
import type { InboundEndpointConfig } from './artifacts.js';
import { deliveryOutcome } from './delivery-outcome.js';
import { ParameterReader } from './parameters.js';
import type { SequenceRunner } from './processor-types.js';
import { AmqpConnection } from './rabbitmq-connection.js';
import type { InboundListener } from './service.js';
import { MessageContext, type JsonValue } from '../context/index.js';

export class RabbitMQInbound implements InboundListener {
  readonly name: string;
  private readonly connection: AmqpConnection;
  private readonly queue: string;
  private readonly exchange: string;
  private readonly exchangeType: string;
  private readonly routingKey: string;
  private readonly declareQueue: boolean;
  private readonly declareExchange: boolean;
  private readonly durable: boolean;
  private readonly autoAck: boolean;
  private readonly prefetch: number;
  private readonly deadLetterExchange: string | undefined;
  private readonly requeueDelayMs: number;
  private channel: amqp.Channel | undefined;
  private consumerTag: string | undefined;
  private stopping = false;
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly config: InboundEndpointConfig,
    private readonly sequences: SequenceRunner,
    private readonly logger: Logger,
  ) {
    this.name = config.name;
    const p = new ParameterReader(`inbound endpoint '${config.name}'`, config.parameters);
    this.queue = p.required('rabbitmq.queue.name');
    this.exchange = p.text('rabbitmq.exchange.name', '');
    this.exchangeType = p.text('rabbitmq.exchange.type', 'direct');
    this.routingKey = p.text('rabbitmq.queue.routing.key', this.queue);
    this.declareQueue = p.boolean('rabbitmq.queue.autodeclare', p.boolean('rabbitmq.queue.auto.declare', true));
    this.declareExchange = p.boolean('rabbitmq.exchange.autodeclare', p.boolean('rabbitmq.exchange.auto.declare', true));
    this.durable = p.boolean('rabbitmq.queue.durable', true);
    this.autoAck = p.boolean('rabbitmq.queue.auto.ack', false);
    this.prefetch = p.integer('rabbitmq.consumer.qos', 10, 1);
    this.deadLetterExchange = p.text('rabbitmq.queue.dead.letter.exchange') ?? p.text('rabbitmq.dead.letter.exchange.name');
    this.requeueDelayMs = p.integer('rabbitmq.message.requeue.delay', 1000, 0);
    this.connection = new AmqpConnection(
      `inbound endpoint '${config.name}'`,
      {
        host: p.text('rabbitmq.server.host.name', 'localhost'),
        port: p.integer('rabbitmq.server.port', 5672, 1),
        username: p.text('rabbitmq.server.user.name', 'guest'),
        password: p.text('rabbitmq.server.password', 'guest'),
        virtualHost: p.text('rabbitmq.server.virtual.host', '/'),
        heartbeatSeconds: p.integer('rabbitmq.server.heartbeat', 30, 0),
      },
      (err) => this.logger.log('warn', err instanceof Error ? err.message : String(err)),
    );
  }

  async start(): Promise<void> {
    if (this.config.suspended) return;
    const model = await this.connection.get();
    const ch = await model.createChannel();
    this.channel = ch;
    try {
      if (this.declareQueue) {
        await ch.assertQueue(this.queue, { durable: this.durable, ...(this.deadLetterExchange ? { deadLetterExchange: this.deadLetterExchange } : {}) });
      }
      if (this.exchange) {
        if (this.declareExchange) await ch.assertExchange(this.exchange, this.exchangeType, { durable: true });
        await ch.bindQueue(this.queue, this.exchange, this.routingKey);
      }
      await ch.prefetch(this.prefetch);
      const { consumerTag } = await ch.consume(this.queue, (msg) => msg && this.track(this.handle(ch, msg)), { noAck: this.autoAck });
      this.consumerTag = consumerTag;
    } catch (err) {
      throw this.connection.failure(`cannot consume the queue '${this.queue}'`, err);
    }
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async handle(ch: amqp.Channel, msg: amqp.ConsumeMessage): Promise<void> {
    const ctx = toContext(msg);
    const result = await this.sequences.run(this.config.sequence, ctx);
    let outcome = deliveryOutcome(result);
    if (!outcome.ok && this.config.onError) {
      await this.sequences.run(this.config.onError, ctx);
    }
    // A flow may ask for the message to be rejected, as WSO2's SET_ROLLBACK_ONLY does.
    if (ctx.getProperty('SET_ROLLBACK_ONLY', 'axis2') === 'true' || ctx.getProperty('SET_ROLLBACK_ONLY', 'axis2') === true) outcome = { ok: false, reason: 'SET_ROLLBACK_ONLY' };
    if (this.autoAck) return;
    try {
      if (outcome.ok) ch.ack(msg);
      else if (this.deadLetterExchange) ch.nack(msg, false, false);
      else {
        this.logger.log('warn', `inbound endpoint '${this.name}': message failed (${outcome.reason}); requeued in ${this.requeueDelayMs} ms`);
        if (this.stopping || this.requeueDelayMs === 0) return void ch.nack(msg, false, true);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          try {
            ch.nack(msg, false, true);
          } catch {
            // The channel closed: the broker requeued it.
          }
        }, this.requeueDelayMs);
        this.timers.add(timer);
      }
    } catch {
      // The channel closed meanwhile: the broker puts unacked messages back by itself.
    }
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const ch = this.channel;
    if (ch && this.consumerTag) await ch.cancel(this.consumerTag).catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.running), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.connection.close();
  }
}

function toContext(msg: amqp.ConsumeMessage): MessageContext {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.properties.headers ?? {})) if (v !== undefined && v !== null) headers[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  const contentType = typeof msg.properties.contentType === 'string' ? msg.properties.contentType : 'application/json';
  const text = msg.content.toString('utf8');
  let payload: JsonValue = text;
  if (contentType.includes('json') || contentType === 'application/vnd.snconnect.message+json') {
    try {
      payload = JSON.parse(text) as JsonValue;
    } catch {
      payload = text;
    }
  }
  const ctx = new MessageContext({ payload, headers });
  ctx.contentType = contentType.includes('json') ? 'application/json' : contentType;
  const counted = Number((msg.properties.headers ?? {})['x-delivery-count']);
  ctx.setProperty(DELIVERY_COUNT_PROPERTY, Number.isInteger(counted) ? counted + 1 : msg.fields.redelivered ? 2 : 1);
  if (typeof msg.properties.messageId === 'string') ctx.setProperty('rabbitmq.message.id', msg.properties.messageId);
  ctx.setProperty('rabbitmq.message.redelivered', msg.fields.redelivered);
  return ctx;
}
