export type { AuthSettings, ConnectionSettings, IncomingResponse, OutgoingRequest } from './types.js';
