// The public library API of snconnect.
//
//   const sn = await loadConnector();
//   const conn = sn.connect({ serviceNowInstanceURL, username, password });
//   const { payload } = await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 5 });
//   await conn.close();
export { loadConnector, RESULT_PROPERTIES } from './invoke/index.js';
export type {
  Connection,
  Connector,
  InvokeOptions,
  InvokeResult,
  LoadOptions,
  OperationInfo,
  ParameterInfo,
} from './invoke/index.js';
export { loadCatalogue, defaultCatalogueDir } from './catalogue/index.js';
export type { Catalogue, CompiledOperation } from './catalogue/index.js';
export { MessageContext, evaluateValue } from './context/index.js';
export type { JsonValue, PropertyScope } from './context/index.js';
export { ConnectorError, isConnectorError } from './errors.js';
export type { ErrorCode, ConnectorErrorInit } from './errors.js';
export { quietLogger, stderrLogger, redact, redactText } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export type { ConnectionSettings, AuthSettings, OutgoingRequest, IncomingResponse } from './http/index.js';
