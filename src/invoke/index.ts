export { loadConnector, RUNTIME_NAMES } from './connector.js';
export { DELIVERY_COUNT_PROPERTY } from './connection.js';
export { RESULT_PROPERTIES } from './context-writer.js';
export { readNdjson } from './ndjson.js';
export { receivedTextOf } from './response.js';
export type * from './types.js';
