// Teaches the artifact loader <messageStore>, <messageProcessor> and <inboundEndpoint>, and adds one background
// service per deployment that opens the stores, runs the processors and inbound endpoints while the server is
// up, and lets <store> mediators of every flow in the process write to those stores.
import { isConnectorError } from '../errors.js';
import { registerArtifactKind, type ArtifactBuildContext, type ArtifactSet, type BackgroundService, type ServiceHost } from '../artifacts/index.js';
import { setProcessMessageStores, type XmlElement } from '../mediation/index.js';
import { readInboundEndpoint, readMessageProcessor, readMessageStore, type InboundEndpointConfig } from './artifacts.js';
import { addressEndpointSender } from './endpoint-sender.js';
import type { MessageProcessorConfig } from './processor-types.js';
import { StoreService, type StoreArtifacts } from './service.js';
import type { MessageStoreConfig } from './types.js';

const STORES = 'messageStore';
const PROCESSORS = 'messageProcessor';
const INBOUND = 'inboundEndpoint';

/** Listeners told about each deployment's store service when it starts (metrics, the CLI). */
type StartHook = (service: StoreService, host: ServiceHost) => void;
const startHooks: StartHook[] = [];
export function onStoreServiceStart(hook: StartHook): void {
  startHooks.push(hook);
}

function parse<T>(el: XmlElement, ctx: ArtifactBuildContext, read: (el: XmlElement, file: string) => T): T | undefined {
  try {
    return read(el, ctx.file);
  } catch (err) {
    const message = isConnectorError(err) ? err.message.replace(`${ctx.file}:${el.line}: `, '') : String(err);
    ctx.error(el, message);
    return undefined;
  }
}

function keep(ctx: ArtifactBuildContext, kind: string, value: unknown): void {
  const list = ctx.set.extensions.get(kind) ?? [];
  list.push(value);
  ctx.set.extensions.set(kind, list);
  if (!ctx.set.services.some((s) => s instanceof StoreBackgroundService)) ctx.set.services.push(new StoreBackgroundService(ctx.set));
}

/** Makes the flow validation report a sequence a processor or endpoint names but nobody defines (with its line). */
function requireSequence(ctx: ArtifactBuildContext, owner: string, sequence: string | undefined, line: number): void {
  if (!sequence) return;
  const synthetic = ctx.sequenceFrom(undefined, `${owner}->${sequence}`)!;
  ctx.set.flow.sequences.get(synthetic)!.mediators.push({ kind: 'sequence', key: sequence, file: ctx.file, line });
}

registerArtifactKind(STORES, (el, ctx) => {
  const config = parse(el, ctx, (e, f) => readMessageStore(e, f, (key) => ctx.set.localValues.get(key)));
  if (config) keep(ctx, STORES, config);
});

/** Processor parameters this runtime reads; others are reported (WSO2 has a few we do not implement). */
const PROCESSOR_PARAMETERS = new Set([
  'sequence', 'message.processor.sequence', 'target.endpoint', 'interval', 'client.retry.interval', 'max.delivery.attempts',
  'max.delivery.drop', 'message.processor.failMessagesStore', 'non.retry.status.codes', 'member.count', 'is.active',
  'message.processor.reply.sequence', 'message.processor.fault.sequence', 'message.processor.deactivate.sequence',
  'store.connection.retry.interval', 'concurrency',
]);
/** WSO2 parameters that change nothing here and need no warning. */
const HARMLESS = new Set(['throttle', 'max.store.connection.attempts']);

registerArtifactKind(PROCESSORS, (el, ctx) => {
  const config = parse(el, ctx, (e, f) => readMessageProcessor(e, f, (key) => ctx.set.localValues.get(key)));
  if (!config) return;
  for (const name of Object.keys(config.parameters)) {
    if (!PROCESSOR_PARAMETERS.has(name) && !HARMLESS.has(name)) ctx.warn(el, `message processor '${config.name}': the parameter '${name}' is not implemented here and has no effect`);
  }
  for (const p of ['sequence', 'message.processor.reply.sequence', 'message.processor.fault.sequence', 'message.processor.deactivate.sequence']) {
    requireSequence(ctx, `processor:${config.name}`, config.parameters[p], el.line);
  }
  keep(ctx, PROCESSORS, config);
});

registerArtifactKind(INBOUND, (el, ctx) => {
  const config = parse(el, ctx, (e, f) => readInboundEndpoint(e, f, (key) => ctx.set.localValues.get(key)));
  if (!config) return;
  if (config.protocol !== 'rabbitmq' && config.protocol !== 'http') {
    ctx.error(el, `inbound endpoint '${config.name}': protocol '${config.protocol}' is not supported (rabbitmq, http)`);
    return;
  }
  requireSequence(ctx, `inbound:${config.name}`, config.sequence, el.line);
  requireSequence(ctx, `inbound:${config.name}`, config.onError, el.line);
  keep(ctx, INBOUND, config);
});

export function storeArtifactsOf(set: ArtifactSet): StoreArtifacts {
  return {
    stores: (set.extensions.get(STORES) ?? []) as MessageStoreConfig[],
    processors: (set.extensions.get(PROCESSORS) ?? []) as MessageProcessorConfig[],
    inboundEndpoints: (set.extensions.get(INBOUND) ?? []) as InboundEndpointConfig[],
  };
}

/** Builders of inbound listeners by protocol; `http` is added by the serve layer, which owns HTTP handling. */
export type InboundFactory = (config: InboundEndpointConfig, host: ServiceHost, service: StoreService) => Promise<import('./service.js').InboundListener>;
const inboundFactories = new Map<string, InboundFactory>([
  [
    'rabbitmq',
    async (config, host, service) => {
      const { RabbitMQInbound } = await import('./inbound-rabbitmq.js');
      return new RabbitMQInbound(config, service.sequences, host.logger);
    },
  ],
]);
export function registerInboundProtocol(protocol: string, factory: InboundFactory): void {
  inboundFactories.set(protocol, factory);
}

export class StoreBackgroundService implements BackgroundService {
  readonly name = 'message stores and processors';
  private service: StoreService | undefined;

  constructor(private readonly set: ArtifactSet) {}

  async start(host: ServiceHost): Promise<void> {
    const artifacts = storeArtifactsOf(this.set);
    const service = new StoreService(artifacts, {
      sequences: { has: (name) => host.artifacts.flow.sequences.has(name), run: (name, ctx) => host.runSequence(name, ctx) },
      endpoints: addressEndpointSender(host.artifacts.endpoints),
      logger: host.logger,
    });
    for (const config of artifacts.inboundEndpoints) {
      const factory = inboundFactories.get(config.protocol);
      if (!factory) throw new Error(`inbound endpoint '${config.name}': protocol '${config.protocol}' needs the server (snconnect serve)`);
      service.addInbound(await factory(config, host, service));
    }
    this.service = service;
    setProcessMessageStores(service.registry);
    if (host.metrics) {
      const { registerStoreMetrics } = await import('./metrics.js');
      registerStoreMetrics(host.metrics, service);
    }
    for (const hook of startHooks) hook(service, host);
    await service.start();
  }

  async stop(): Promise<void> {
    const service = this.service;
    this.service = undefined;
    if (!service) return;
    await service.stop();
    setProcessMessageStores(undefined);
  }
}
