// One AMQP connection, opened on first use and opened again after it was lost (amqplib does not reconnect on
// its own here). Shared by the RabbitMQ store and the rabbitmq inbound endpoint.
import amqp from 'amqplib';
import { ConnectorError } from '../errors.js';
import { redactText } from '../logger.js';

export interface AmqpTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  virtualHost: string;
  heartbeatSeconds: number;
}

export class AmqpConnection {
  private model: Promise<amqp.ChannelModel> | undefined;
  private closing = false;

  constructor(
    /** Names the owner in errors, e.g. `message store 'incidents'`. */
    private readonly owner: string,
    private readonly target: AmqpTarget,
    private readonly onError: (err: unknown) => void,
  ) {}

  get(): Promise<amqp.ChannelModel> {
    if (this.closing) return Promise.reject(this.failure('the connection is closed'));
    this.model ??= this.open();
    return this.model;
  }

  private async open(): Promise<amqp.ChannelModel> {
    const t = this.target;
    let model: amqp.ChannelModel;
    try {
      model = await amqp.connect({
        protocol: 'amqp',
        hostname: t.host,
        port: t.port,
        username: t.username,
        password: t.password,
        vhost: t.virtualHost,
        heartbeat: t.heartbeatSeconds,
      });
    } catch (err) {
      this.model = undefined;
      throw this.failure(`cannot connect to RabbitMQ at ${t.host}:${t.port}`, err);
    }
    model.on('error', (err: Error) => this.onError(this.failure('connection error', err)));
    model.on('close', () => {
      // The next operation opens a new one; deliveries claimed on the old one went back to the queue.
      this.model = undefined;
    });
    return model;
  }

  failure(what: string, err?: unknown): ConnectorError {
    const detail = err === undefined ? '' : `: ${redactText(err instanceof Error ? err.message : String(err))}`;
    return new ConnectorError({ code: 'CONNECTION_ERROR', message: `${this.owner} (RabbitMQ): ${what}${detail}`, retryable: true, cause: err });
  }

  async close(): Promise<void> {
    this.closing = true;
    const model = this.model;
    this.model = undefined;
    if (!model) return;
    try {
      await (await model).close();
    } catch {
      // Already gone.
    }
  }
}
