// The operation catalogue as data: what connector.xml and operations/*.xml declare, after parsing and checks.
// Nothing here knows ServiceNow; the names live in the descriptor files.
import type { CheckDescriptor, StepsDescriptor } from './steps.js';
import type { BulkDescriptor } from './bulk.js';
export type { BulkChunksDescriptor, BulkDescriptor, BulkEachDescriptor, BulkEnvelopeDescriptor, BulkReadBackDescriptor } from './bulk.js';
export type { CheckDescriptor, StepDescriptor, StepValueDescriptor, StepsDescriptor } from './steps.js';

/**
 * `binary`: bytes (Buffer, Uint8Array, a Readable stream, or text) sent as a raw body, e.g. an attachment's content.
 * `encodedQuery`: text that is a whole encoded query (it may hold query syntax; see encoded-query-values.ts).
 */
export type ParameterType = 'string' | 'integer' | 'number' | 'boolean' | 'json' | 'binary' | 'encodedQuery';

/** `name=value`: the condition is true when that parameter's (defaulted) value, as text, equals value. */
export interface Condition {
  parameter: string;
  equals: string;
}

export interface ParameterDescriptor {
  name: string;
  /** Other names accepted in invocations (e.g. a legacy spelling). */
  aliases: string[];
  description: string;
  required: boolean;
  requiredWhen?: Condition;
  type: ParameterType;
  /** For type json: what the JSON value must be (default object). */
  shape: 'object' | 'array';
  /** Default as written in the descriptor; converted to the parameter's type at load. */
  default?: string;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  /** For integer and number parameters: words accepted instead of a number (e.g. `auto`). */
  keywords?: string[];
  /** Never echoed in errors, logs or listings. */
  secret: boolean;
  /** Environment variable the CLI reads the value from when it is not given. */
  env?: string;
}

/** One query parameter: a parameter's value, a literal, a template, or several parts joined (e.g. conditions ANDed). */
export interface QueryDescriptor {
  name: string;
  from?: string;
  value?: string;
  /** Text with {{parameter}} placeholders (value-template.ts); each value is checked as a value inside an encoded query. */
  template?: string;
  join?: string;
  parts: QueryPartDescriptor[];
}

export interface QueryPartDescriptor {
  from: string;
  /** Split the value on this separator; each non-empty piece becomes a part of its own. */
  split?: string;
}

export interface HeaderDescriptor {
  name: string;
  from?: string;
  value?: string;
  /** Text with {{parameter}} placeholders; a value with a line break is refused. */
  template?: string;
}

export type BodyDescriptor =
  /** A Handlebars file under templates/ that renders JSON. */
  | { template: string }
  /** A json parameter sent as it is. */
  | { from: string };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallDescriptor {
  method: HttpMethod;
  /** Path with {parameter} placeholders; each placeholder is one percent-encoded segment. */
  path: string;
  /** Whether repeating the call is safe (defaults to true for GET/PUT/PATCH/DELETE, false for POST). */
  idempotent: boolean;
  queries: QueryDescriptor[];
  headers: HeaderDescriptor[];
  body?: BodyDescriptor;
}

/** How the next page is found when every page of a list is wanted (all-pages mode, run by src/paging). */
export interface PagingDescriptor {
  /** Default strategy: `keyset` (order by keyField, ask for rows after the last), `link` (Link header's next), `offset`. */
  next: 'link' | 'keyset' | 'offset';
  /** Query parameters holding the page offset and size, for readers that page by offset. */
  offsetQuery?: string;
  limitQuery?: string;
  /** Boolean parameter that switches the all-pages mode on. */
  allPagesFrom?: string;
  /** Integer parameter capping the records returned over all pages. */
  maxRecordsFrom?: string;
  /** Parameters choosing the page size, the strategy, the incremental watermark, prefetch and parallel offset ranges. */
  pageSizeFrom?: string;
  strategyFrom?: string;
  sinceFrom?: string;
  prefetchFrom?: string;
  parallelFrom?: string;
  /** Parameters for partitioned keyset reads: how many key ranges are read at once, and whether records are merged in order. */
  partitionsFrom?: string;
  orderedFrom?: string;
  /** The key field's alphabet in ascending order and its length (sys_id: 0123456789abcdef, 32), for partitioned reads. */
  keyDigits?: string;
  keyLength?: number;
  /** Page size when none is given. */
  defaultPageSize?: number;
  /** Body member holding the page's records. */
  records?: string;
  /** Query parameter holding the (encoded) query, and those that skip the count and list the fields. */
  queryParameter?: string;
  noCountQuery?: string;
  fieldsQuery?: string;
  /** Response headers with the next-page links and the row count. */
  linkHeader?: string;
  totalHeader?: string;
  /** Unique, orderable field for keyset paging, and the last-updated field of incremental reads. */
  keyField?: string;
  watermarkField?: string;
  /** Query syntax: AND separator, OR-group separator, ordering prefix. */
  and?: string;
  or?: string;
  orderBy?: string;
}

/** Create-once guard: before creating, look for a record whose column (named by a parameter) holds the new value. */
export interface IdempotencyDescriptor {
  /** Parameter naming the column whose value identifies the record. */
  fieldFrom: string;
  /** Operation that lists records, invoked with the query `<column>=<value>`. */
  lookup: string;
  /** Parameter of the lookup operation that takes the query. */
  queryParameter: string;
}

export interface ResponseDescriptor {
  /** Member a successful JSON body must have; a 2xx body without it is a (retryable) ServiceNow failure. */
  require?: string;
  /** The 2xx body is handed over unread as a stream (binary downloads) instead of parsed as JSON. */
  stream?: boolean;
}

export interface ConnectionSettingDescriptor {
  /** Dotted path in the transport's ConnectionSettings, e.g. auth.username. */
  name: string;
  from: string;
  when?: Condition;
  /** Characters removed from the end of a text value (e.g. a trailing slash of a URL). */
  stripTrailing?: string;
}

export interface OperationDescriptor {
  name: string;
  aliases: string[];
  /** File the operation was read from, relative to the catalogue folder. */
  file: string;
  description: string;
  parameters: ParameterDescriptor[];
  call?: CallDescriptor;
  connection?: ConnectionSettingDescriptor[];
  paging?: PagingDescriptor;
  idempotency?: IdempotencyDescriptor;
  response: ResponseDescriptor;
  /** Multi-step operation: calls other operations instead of one <call> (see steps.ts). */
  steps?: StepsDescriptor;
  /** Schema checks run before sending (validatePayload, strictQuery; see steps.ts). */
  checks?: CheckDescriptor[];
  /** Loads many items through other operations (see bulk.ts). */
  bulk?: BulkDescriptor;
}

export interface ConnectorDescriptor {
  name: string;
  version: string;
  description: string;
  init: OperationDescriptor;
  operations: OperationDescriptor[];
}
