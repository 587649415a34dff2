export { MessageContext } from './message-context.js';
export type { JsonValue, PropertyScope } from './message-context.js';
