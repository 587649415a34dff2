// The public face of the runtime, used by the library API, the CLI and the mediation engine.
import type { JsonValue, MessageContext } from '../context/message-context.js';
import type { OutgoingRequest, RequestPreview } from '../http/types.js';
import type { Readable } from 'node:stream';
import type { Logger } from '../logger.js';
import type { RecordStream } from '../paging/types.js';
import type { ConnectorError } from '../errors.js';
import type { Cancellation } from '../cancellation.js';
import type { PARSE_ON_READ } from './deferred-payload.js';

export interface ParameterInfo {
  name: string;
  description: string;
  required: boolean;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'json' | 'binary' | 'encodedQuery';
  default?: string;
  enum?: string[];
  pattern?: string;
  /** Other accepted names (e.g. the WSO2 spelling `KeyValuePairs`). */
  aliases?: string[];
  /** For type json: the JSON value must be an object (default) or an array. */
  shape?: 'object' | 'array';
  minimum?: number;
  maximum?: number;
  /** Required only when another parameter has a value, e.g. `authType=basic`. */
  requiredWhen?: string;
  /** Never echoed in errors, logs or listings. */
  secret?: boolean;
  /** Environment variable the CLI falls back to. */
  env?: string;
}

export interface OperationInfo {
  name: string;
  /** Other names accepted for this operation (the WSO2 connector's `putRecordById` ...). */
  aliases: string[];
  description: string;
  parameters: ParameterInfo[];
  /** e.g. `GET /api/now/table/{tableName}`; undefined for init. */
  call?: string;
  /** When the operation can read every page (docs/paging.md): the switch parameter and the body member of the records. */
  paging?: { allPagesParameter?: string; records: string };
}

export interface LoadOptions {
  /** Folder holding connector.xml, operations/ and templates/ (default: the package's own). */
  dir?: string;
  logger?: Logger;
  /** Catalogue snapshot to start from when it is fresh (see loadCatalogue); false: always read and check in full. */
  snapshot?: string | false;
}

/** What an invocation returns; the same values are written into the MessageContext when one is given. */
export interface InvokeResult {
  status: number;
  /** Parsed JSON body (ServiceNow's envelope as sent), undefined for 204. */
  payload: JsonValue | undefined;
  headers: Record<string, string>;
  /** The row count, read from the header the operation's <paging totalHeader> names (X-Total-Count), when sent. */
  totalCount?: number;
  /** The rel="next" URL of the header <paging linkHeader> names (Link), when there is a next page. */
  nextLink?: string;
  /**
   * For an operation declared with <response body="stream"/> (a binary download): the unread 2xx body. It must be
   * consumed or destroyed, since it holds a connection slot until then; payload is undefined.
   */
  body?: Readable;
}

export interface InvokeOptions {
  /** Context to read expression values from and to write the response into. */
  context?: MessageContext;
  /** Whether the response replaces context.payload (default true). */
  overwriteBody?: boolean;
  /** Resolve expression values in params against options.context (default false: values are literal data). */
  evaluateExpressions?: boolean;
  /**
   * Aborts the call (and its retries) when it fires, e.g. when the client of a served flow goes away. A Cancellation
   * (what a served request carries) does the same without the cost of an AbortSignal.
   */
  signal?: AbortSignal | Cancellation;
  /**
   * An earlier send of this create may have been applied without its answer being seen: with the operation's
   * idempotency guard on, the record is looked up before it is sent (and not sent when it exists).
   */
  mayExist?: boolean;
  /** Internal (the mediation engine's): the payload may be parsed on first read, see deferred-payload.ts. */
  [PARSE_ON_READ]?: boolean;
}

/** Options of Connection.stream(). */
export interface StreamOptions {
  /** Context to read expression values from. */
  context?: MessageContext;
  /** Ask for the row count on the first page (for a progress total) even when the strategy skips counts. */
  countTotal?: boolean;
}

/** Options of Connection.preview(). */
export interface PreviewOptions {
  /** Context to read expression values from (only with evaluateExpressions, as for invoke). */
  context?: MessageContext;
  evaluateExpressions?: boolean;
  /** For an all-pages read: preview the first page of a stream() opened with this countTotal. */
  countTotal?: boolean;
}

export interface Connection {
  /**
   * Runs one operation. `params` values are taken as they are unless options.evaluateExpressions is true:
   * only then are expressions ({$ctx:x}, {json-eval($.a)}, ${payload.a}) resolved against options.context,
   * so data (a record value reading `{$ctx:password}`) can never pull a secret out of the context by accident.
   * The response is written into options.context when given. Throws ConnectorError; when a context is given,
   * ERROR_CODE, ERROR_MESSAGE and ERROR_DETAIL are also set on it.
   */
  invoke(operation: string, params?: Record<string, unknown>, options?: InvokeOptions): Promise<InvokeResult>;
  /**
   * `invoke(name, ctx)`: each declared parameter is read from the context property of the same name (or alias),
   * and the response is written back into that context.
   */
  invoke(operation: string, context: MessageContext, options?: Omit<InvokeOptions, 'context'>): Promise<InvokeResult>;
  /**
   * Every record of a list operation that declares <paging>, read page by page as the stream is
   * iterated: memory stays flat however large the table. Validates at once (throws ConnectorError); the first
   * request is sent on the first iteration. `invoke` with the all-pages switch (all=true) collects the same records.
   */
  stream(operation: string, params?: Record<string, unknown>, options?: StreamOptions): RecordStream;
  /**
   * Invokes `operation` once per item (each item: that call's parameters, over `options.params`), `concurrency`
   * calls at once (default 8), and hands the results out in input order, one per item: the call's result or its
   * ConnectorError. `items` may be an array or an (async) iterable read as slots free up, so memory stays flat.
   * Each call keeps the operation's guards: give postRecord an idempotencyField and a fault never duplicates a record.
   */
  bulk(operation: string, items: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>, options?: BulkOptions): BulkRun;
  /** Binds, validates and renders the request without sending it (for dry runs and tests); throws like invoke. */
  prepare(operation: string, params?: Record<string, unknown>, options?: InvokeOptions): OutgoingRequest;
  /**
   * The request the transport would really send for this call, nothing sent: method, absolute URL with the encoded
   * query, every header (the credential shown as `Basic ***` / `Bearer ***`), the body. For an all-pages read
   * (all=true) it is the first page's request as the paging engine sends it. Validates and throws like invoke.
   */
  preview(operation: string, params?: Record<string, unknown>, options?: PreviewOptions): RequestPreview;
  close(): Promise<void>;
  /** Counters of the transport behind this connection (requests, retries, ...), shared with connections of the same settings. */
  transportStats?(): { requests: number; retries: number };
}

export interface Connector {
  readonly name: string;
  readonly version: string;
  /** Folder the catalogue was loaded from. */
  readonly dir: string;
  operations(): OperationInfo[];
  /** Looks up by name or alias (the init operation too, by its name). */
  describe(operation: string): OperationInfo | undefined;
  /** The init (connection) operation, whatever connector.xml names it. */
  describeInit(): OperationInfo;
  /** Validates the init parameters (serviceNowInstanceURL, username, password, ...) and opens a pooled connection. */
  connect(initParams: Record<string, unknown>): Connection;
}

export interface BulkOptions {
  /** Parameters shared by every call (an item's own values win). */
  params?: Record<string, unknown>;
  /** Calls in flight at once, 1..64 (default 8). */
  concurrency?: number;
  /** Told after each result is handed out, with the counts so far. */
  onProgress?: (progress: Readonly<BulkProgress>) => void;
}

export type BulkItemResult = { index: number; ok: true; result: InvokeResult } | { index: number; ok: false; error: ConnectorError };

export interface BulkProgress {
  started: number;
  succeeded: number;
  failed: number;
}

/** Results of a bulk run, in input order; iterate once, or `all()` to collect them. */
export interface BulkRun extends AsyncIterable<BulkItemResult> {
  readonly progress: Readonly<BulkProgress>;
  all(): Promise<BulkItemResult[]>;
}
