export type {
  AuthSettings,
  ConnectionSettings,
  IncomingResponse,
  OutcomeProbe,
  OutgoingRequest,
  StreamingResponse,
} from './types.js';
export { Transport, type TransportStats } from './transport.js';
