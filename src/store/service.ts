// The store side of a deployment: its message stores, processors and inbound endpoints, checked together at
// load (every name a processor or endpoint uses must exist) and started and stopped with the server.
import { ConnectorError } from '../errors.js';
import { quietLogger, type Logger } from '../logger.js';
import type { InboundEndpointConfig } from './artifacts.js';
import { ForwardingProcessor, forwardingSettings } from './forwarding-processor.js';
import type { EndpointSender, MessageProcessorConfig, Processor, SequenceRunner } from './processor-types.js';
import { StoreRegistry } from './registry.js';
import { SamplingProcessor, samplingSettings } from './sampling-processor.js';
import type { MessageStoreConfig, StoreCounters, StoreStats } from './types.js';

export interface StoreArtifacts {
  stores: MessageStoreConfig[];
  processors: MessageProcessorConfig[];
  inboundEndpoints: InboundEndpointConfig[];
}

/** An inbound endpoint (rabbitmq, http) once started. */
export interface InboundListener {
  readonly name: string;
  start(): Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

const FORWARDING = new Set([
  'org.apache.synapse.message.processor.impl.forwarder.ScheduledMessageForwardingProcessor',
  'ScheduledMessageForwardingProcessor',
  'forwarding',
]);
const SAMPLING = new Set(['org.apache.synapse.message.processor.impl.sampler.SamplingProcessor', 'SamplingProcessor', 'sampling']);

export interface StoreServiceOptions {
  sequences: SequenceRunner;
  endpoints?: EndpointSender;
  logger?: Logger;
}

export interface StoreReport {
  name: string;
  kind: string;
  stats?: StoreStats;
  error?: string;
  counters: StoreCounters;
}

export class StoreService {
  readonly registry: StoreRegistry;
  readonly processors: Processor[] = [];
  private readonly inbound: InboundListener[] = [];
  private readonly logger: Logger;

  constructor(
    artifacts: StoreArtifacts,
    private readonly options: StoreServiceOptions,
  ) {
    this.logger = options.logger ?? quietLogger;
    this.registry = new StoreRegistry(artifacts.stores, this.logger);
    for (const config of artifacts.processors) this.processors.push(this.processor(config));
  }

  private processor(config: MessageProcessorConfig): Processor {
    const where = `${config.file ?? ''}${config.file ? `:${config.line ?? 0}: ` : ''}message processor '${config.name}'`;
    const problem = (parameter: string, message: string): never => {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter, message: `${where}: ${message}` });
    };
    if (!this.registry.names().includes(config.messageStore)) problem('messageStore', `its message store '${config.messageStore}' is not defined (stores: ${this.registry.names().join(', ') || 'none'})`);
    const { sequences, endpoints } = this.options;
    const needSequence = (parameter: string, name: string | undefined) => {
      if (name !== undefined && !sequences.has(name)) problem(parameter, `the sequence '${name}' is not defined`);
    };
    if (FORWARDING.has(config.className)) {
      const s = forwardingSettings(config);
      if (s.failStore !== undefined && !this.registry.names().includes(s.failStore)) problem('message.processor.failMessagesStore', `the store '${s.failStore}' is not defined`);
      if (s.target.kind === 'sequence') needSequence('sequence', s.target.name);
      else if (!endpoints?.has(s.target.name)) problem('targetEndpoint', `the endpoint '${s.target.name}' is not defined`);
      needSequence('message.processor.reply.sequence', s.replySequence);
      needSequence('message.processor.fault.sequence', s.faultSequence);
      needSequence('message.processor.deactivate.sequence', s.deactivateSequence);
      return new ForwardingProcessor(config.name, config.messageStore, s, this.registry, sequences, endpoints, this.logger);
    }
    if (SAMPLING.has(config.className)) {
      const s = samplingSettings(config);
      needSequence('sequence', s.sequence);
      return new SamplingProcessor(config.name, config.messageStore, s, this.registry, sequences, this.logger);
    }
    return problem('class', `class '${config.className}' is not supported (use ${[...FORWARDING][0]} or ${[...SAMPLING][0]})`);
  }

  get sequences(): SequenceRunner {
    return this.options.sequences;
  }

  get inboundListeners(): readonly InboundListener[] {
    return this.inbound;
  }

  /** Inbound endpoints are built by the caller (they need the protocol's own file); they start and stop with the rest. */
  addInbound(listener: InboundListener): void {
    this.inbound.push(listener);
  }

  async start(): Promise<void> {
    for (const p of this.processors) p.start();
    for (const l of this.inbound) await l.start();
  }

  async stop(graceMs = 10_000): Promise<void> {
    await Promise.all([...this.inbound.map((l) => l.stop(graceMs)), ...this.processors.map((p) => p.stop(graceMs))]);
    await this.registry.closeAll();
  }

  /** Depth, in-flight and counters of every store (a store that cannot be reached says why). */
  async report(): Promise<StoreReport[]> {
    return Promise.all(
      this.registry.names().map(async (name) => {
        const counters = this.registry.counters(name);
        try {
          const store = await this.registry.get(name);
          return { name, kind: store.kind, stats: await store.stats(), counters };
        } catch (err) {
          return { name, kind: '?', error: err instanceof Error ? err.message : String(err), counters };
        }
      }),
    );
  }
}
