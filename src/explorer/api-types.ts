// The JSON the explorer's server sends its page: shared by the server (src/explorer) and the page (src/explorer/web).
// Type-only, so the page's build and the server's build can both read it.

/** Any JSON value (the page's build cannot import the runtime's own definition, so it is restated here). */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface FieldView {
  name: string;
  description: string;
  required: boolean;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'json' | 'binary' | 'encodedQuery';
  default?: string;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  shape?: 'object' | 'array';
  aliases?: string[];
  secret?: boolean;
  env?: string;
  /** Shown (and sent) only when another field has a value, e.g. {parameter: 'authType', equals: 'oauth2'}. */
  when?: { parameter: string; equals: string };
}

export interface FieldGroupView {
  name: string;
  fields: FieldView[];
}

export interface OperationView {
  name: string;
  aliases: string[];
  description: string;
  /** `GET /api/...`, or the operations a multi-step operation runs. */
  call?: string;
  groups: FieldGroupView[];
  /** For operations that can read every page: the switch parameter and the body member holding the records. */
  paging?: { allPagesParameter?: string; records: string };
}

export interface OperationGroupView {
  /** The API the operations call, e.g. the path prefix they share. */
  name: string;
  operations: OperationView[];
}

export interface ConnectionView {
  id: string;
  /** Where requests go and as whom (never a secret). */
  label: string;
  /** The init values that are not secret, for samples; secret ones are listed by name only. */
  values: Record<string, string>;
  secretNames: string[];
  embeddedSimulator: boolean;
}

export interface CatalogueView {
  connector: { name: string; version: string; description: string };
  init: OperationView;
  groups: OperationGroupView[];
  connection: ConnectionView;
  /** Whether a flows folder is served (the Flows tab). */
  flows: boolean;
}

export interface ErrorView {
  code: string;
  message: string;
  parameter?: string;
  operation?: string;
  status?: number;
  detail?: unknown;
}

export interface PreviewView {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** For an all-pages read: this is the first page's request. */
  firstPageOf?: string;
}

export interface SendView {
  status: number;
  timeMs: number;
  headers: Record<string, string>;
  payload: unknown;
  totalCount?: number;
}

/** One line of the all-pages NDJSON stream the page reads. */
export type StreamLine =
  | { record: unknown }
  | { progress: { records: number; pages: number; total?: number } }
  | { done: { records: number; pages: number; timeMs: number; total?: number } }
  | { error: ErrorView };

export interface FlowFileView {
  file: string;
  sequences: string[];
  defaultSequence?: string;
}

// A flow run, step by step (built by flow-trace.ts).

export interface ConnectorCallTrace {
  operation: string;
  status?: number;
  error?: { code: string; message: string };
}

export interface TraceStep {
  /** Order in which the mediator started (0-based); nested mediators follow their parent. */
  index: number;
  /** Nesting level: 0 for a mediator of the sequence that was run, deeper for branches, foreach bodies, sequences called. */
  depth: number;
  kind: string;
  /** What the mediator is, as written: `servicenow.<operation>`, `property statsQuery`, `log`... */
  label: string;
  sequence: string;
  line: number;
  /** Milliseconds from the start of the run to the start of this mediator, and its duration. */
  startMs: number;
  durationMs: number;
  outcome: 'ok' | 'error' | 'drop' | 'respond' | 'fault';
  /** Default-scope properties and variables whose value this mediator changed (undefined: removed). */
  propertiesSet: Record<string, JsonValue>;
  propertiesRemoved: string[];
  payloadBefore: JsonValue | null;
  payloadAfter: JsonValue | null;
  call?: ConnectorCallTrace;
  error?: { code: string; message: string };
  /** Whether the mediator belongs to a fault sequence that ran after a failure. */
  inFaultPath: boolean;
}

export interface FaultTrace {
  sequence: string;
  faultSequence: string;
  error: { code: string; message: string };
  /** Index of the first step of the fault sequence. */
  atStep: number;
}

export interface FlowTrace {
  file: string;
  sequence: string;
  outcome: 'completed' | 'responded' | 'dropped' | 'fault';
  durationMs: number;
  steps: TraceStep[];
  faults: FaultTrace[];
  payload: JsonValue | null;
  error?: { code: string; message: string; detail?: string };
}

