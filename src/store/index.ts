// Message stores, processors and inbound endpoints: store-and-forward with WSO2's artifacts and names.
export type { Delivery, MessageStore, MessageStoreConfig, StoreCounters, StoreStats, StoredMessage } from './types.js';
export type { EndpointSender, MessageProcessorConfig, Processor, SequenceRunner } from './processor-types.js';
export { StoreRegistry } from './registry.js';
export { StoreService, type InboundListener, type StoreArtifacts, type StoreReport, type StoreServiceOptions } from './service.js';
export { readInboundEndpoint, readMessageProcessor, readMessageStore, type InboundEndpointConfig, type KeyResolver } from './artifacts.js';
export { toMessageContext, toStoredMessage } from './message-codec.js';
export { backendKind } from './backends.js';
export { flowSequenceRunner } from './flow-runner.js';
// Registers the <store> mediator and the store artifact kinds (messageStore, messageProcessor, inboundEndpoint).
import './store-mediator.js';
import './artifact-kinds.js';
export { StoreBackgroundService, onStoreServiceStart, registerInboundProtocol, storeArtifactsOf, type InboundFactory } from './artifact-kinds.js';
export { listStores, peekStore, requeueMessages, type StoreListing } from './operator.js';
