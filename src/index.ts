// The public library API of snconnect.
//
//   const sn = await loadConnector();                  // the catalogue: connector.xml, operations/, templates/
//   const conn = sn.connect(initParameters);           // the init operation's parameters (see docs/catalogue-format.md)
//   const { payload } = await conn.invoke(operationName, parameters);
//   for await (const record of conn.stream(operationName, parameters)) { ... }   // every page (docs/paging.md)
//   await conn.close();
export { loadConnector, RESULT_PROPERTIES, readNdjson } from './invoke/index.js';
export type {
  Connection,
  Connector,
  InvokeOptions,
  InvokeResult,
  LoadOptions,
  OperationInfo,
  ParameterInfo,
  PreviewOptions,
  StreamOptions,
} from './invoke/index.js';
export type { JsonRecord, PagingProgress, PagingStrategy, RecordPage, RecordStream } from './paging/index.js';
export { loadCatalogue, defaultCatalogueDir, writeCatalogueSnapshot } from './catalogue/index.js';
export type { WriteSnapshotOptions } from './catalogue/index.js';
export type { Catalogue, CompiledOperation } from './catalogue/index.js';
export { MessageContext, evaluateValue } from './context/index.js';
export type { JsonValue, PropertyScope } from './context/index.js';
export { ConnectorError, isConnectorError } from './errors.js';
export type { ErrorCode, ConnectorErrorInit } from './errors.js';
export { quietLogger, stderrLogger, redact, redactText } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export type { ConnectionSettings, AuthSettings, OutgoingRequest, IncomingResponse, RequestPreview } from './http/index.js';
// Compiler-checked invocations (types generated from the catalogue by `npm run docs`) and table schemas.
export { typedConnection } from './types/typed-connection.js';
export type { TypedConnection } from './types/typed-connection.js';
export type { InitParameters, OperationName, OperationParameters } from './types/operations.js';
export type { FieldSchema, TableSchema, ChoiceInfo } from './schema/index.js';
