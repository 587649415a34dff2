export type {
  AuthSettings,
  ConnectionSettings,
  IncomingResponse,
  OutcomeProbe,
  RetryNotice,
  OutgoingRequest,
  RequestPreview,
  StreamingResponse,
} from './types.js';
export { Transport, type TransportStats } from './transport.js';
export { headerValueProblem, isJson } from './wire.js';
export { opensContainer, opensWithMember, parseJsonOrUndefined } from './json-body.js';
export { CONNECTION_SETTING_NAMES, type ConnectionSettingName } from './setting-names.js';
export { readBytesLimited } from './body-limit.js';
export { sendRequest, undiciParts } from './undici-modules.js';
