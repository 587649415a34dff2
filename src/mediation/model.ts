// The parsed form of a sequence file: named sequences, templates and local entries, each a list of
// mediators that remember where they were written (file and line) for error messages.
import type { ExprNode } from '../context/index.js';
import type { PropertyScope } from '../context/index.js';

export interface Where {
  file: string;
  line: number;
}

/** A value written as text that may be an expression (a connector parameter, `value=` of a log property). */
export interface ValueSource {
  raw: string;
}

/** `value="literal"` or `expression="..."` on property, log property, arg and the like. */
export type ValueOrExpression = { kind: 'value'; value: string } | { kind: 'expression'; text: string; node: ExprNode };

export type PropertyType = 'STRING' | 'INTEGER' | 'LONG' | 'SHORT' | 'DOUBLE' | 'FLOAT' | 'BOOLEAN' | 'JSON' | 'OM';

export interface ConnectorOperationMediator extends Where {
  kind: 'connector';
  /** the operation name after the prefix; `init` for `<servicenow.init>`. */
  operation: string;
  /** The element name as written, e.g. `servicenow.<operation>`. */
  element: string;
  configKey?: string;
  params: { name: string; raw: string; line: number }[];
  responseVariable?: string;
  overwriteBody?: string;
  /**
   * Opt-in to the older fault style for this call: a ServiceNow 4xx/5xx raises a fault (faultSequence / onError)
   * instead of setting HTTP_SC and going on with the error body (WSO2's default, and ours).
   */
  faultOnErrorStatus?: string;
}

export interface PropertyMediator extends Where {
  kind: 'property';
  name: string;
  action: 'set' | 'remove';
  scope: PropertyScope;
  source?: ValueOrExpression;
  type: PropertyType;
  /** Inline JSON written as the element's text (type="JSON"). */
  inline?: string;
}

export interface VariableMediator extends Where {
  kind: 'variable';
  name: string;
  action: 'set' | 'remove';
  source?: ValueOrExpression;
  type: PropertyType;
}

export interface LogMediator extends Where {
  kind: 'log';
  level: 'simple' | 'full' | 'custom' | 'headers';
  /** MI 4.4 `logFullPayload="true"`: the payload is added whatever the level. */
  fullPayload?: boolean;
  category: 'debug' | 'info' | 'warn' | 'error';
  /** MI 4.4 `<message>` with ${...} inside. */
  message?: string;
  properties: { name: string; source: ValueOrExpression }[];
}

export interface FilterMediator extends Where {
  kind: 'filter';
  /** Either source + regex, or a boolean condition (xpath=). */
  source?: ExprNode;
  regex?: RegExp;
  condition?: ExprNode;
  then: Mediator[];
  otherwise: Mediator[];
}

export interface SwitchMediator extends Where {
  kind: 'switch';
  source: ExprNode;
  cases: { regex: RegExp; body: Mediator[]; line: number }[];
  otherwise?: Mediator[];
}

export interface PayloadArg {
  source: ValueOrExpression;
  /** literal="true": the value is inserted as text even when it is XML. */
  literal: boolean;
  /** The expression uses the XML evaluator (XPath, $ctx:, get-property): its text is typed as MI does when bare (numbers, XML converted). */
  xpath?: boolean;
}

export interface PayloadFactoryMediator extends Where {
  kind: 'payloadFactory';
  mediaType: 'json' | 'text' | 'xml';
  format: string;
  args: PayloadArg[];
}

export interface ForEachMediator extends Where {
  kind: 'foreach';
  source: ExprNode;
  sourceText: string;
  /** Inline `<sequence>` child, or a named sequence (`sequence="name"`). */
  body: Mediator[];
  sequenceKey?: string;
  /** MI 4.4 style: store the collected results in this variable instead of writing them back. */
  resultTarget?: string;
  counterVariable?: string;
  /** Classic style writes results back into the payload at the expression's path. */
  updateOriginal: boolean;
}

export interface SequenceCallMediator extends Where {
  kind: 'sequence';
  key: string;
}

export interface EnrichMediator extends Where {
  kind: 'enrich';
  source: {
    type: 'body' | 'property' | 'custom' | 'inline' | 'variable';
    property?: string;
    expression?: ExprNode;
    inline?: string;
    clone: boolean;
  };
  target: {
    type: 'body' | 'property' | 'custom' | 'variable';
    property?: string;
    /** Path steps for custom targets (`json-eval($.a.b)` / `${payload.a.b}`). */
    path?: ExprNode;
    pathText?: string;
    action: 'replace' | 'child' | 'sibling';
  };
}

export interface DropMediator extends Where {
  kind: 'drop';
}

export interface RespondMediator extends Where {
  kind: 'respond';
}

/** `<header name="X" value|expression scope="transport" action="set|remove"/>`: a transport header of the message. */
export interface HeaderMediator extends Where {
  kind: 'header';
  name: string;
  /** A WS-Addressing header (`<header name="Action" value="urn:x"/>`): kept as the message property of that name (get-property('Action')). */
  addressing?: boolean;
  action: 'set' | 'remove';
  source?: ValueOrExpression;
}

/**
 * A mediator this runtime does not implement, kept in a flow loaded with `--lenient` so that the rest of the
 * file works; it faults (naming itself and its line) only if a message reaches it.
 */
export interface UnsupportedMediator extends Where {
  kind: 'unsupported';
  element: string;
  reason: string;
}

/** A mediator contributed through registerMediator (src/mediation/extensions.ts), e.g. `<store>`. */
export interface CustomMediator extends Where {
  kind: 'custom';
  element: string;
  run(ctx: import('../context/index.js').MessageContext, runtime: MediatorRuntime): Promise<void> | void;
}

/**
 * Where `<store>` puts messages: the message stores of the deployment, handed in by the layer that loaded them
 * (mediation knows no store backend).
 */
export interface MessageStoreSink {
  /** Resolves once the named store has taken a copy of the message. */
  store(storeName: string, ctx: import('../context/index.js').MessageContext): Promise<void>;
}

/** What a custom mediator may use of the running engine. */
export interface MediatorRuntime {
  /** The deployment's message stores, when it has any. */
  readonly messageStores?: MessageStoreSink;
  /** Runs a named sequence of the loaded artifacts on `ctx` (faults handled by its onError, as for `<sequence key>`). */
  runSequence(name: string, ctx: import('../context/index.js').MessageContext): Promise<void>;
  readonly logger: import('../logger.js').Logger;
}

/** `<validate>` against a JSON or XML Schema (a local entry or registry resource); `onFail` runs when the message does not conform. */
export interface ValidateMediator extends Where {
  kind: 'validate';
  /** What is validated; the whole payload when absent. */
  source?: ExprNode;
  /** A local entry's key, or a registry resource's (`conf:/schema/a.json`); its text is a JSON or an XML Schema. */
  schemaKey: string;
  /** `<resource location key>`: files an XML Schema imports or includes, by the location it names them with. */
  resources?: Array<{ location: string; key: string }>;
  onFail: Mediator[];
}

/** `<call>` / `<send>` with an endpoint: by name (an `<endpoint>` artifact) or written inline. */
export interface CallEndpointMediator extends Where {
  kind: 'call';
  endpoint: { key: string } | { inline: import('./endpoints/definition.js').AnyEndpoint };
  /**
   * `<send>`: the answer is a response: it goes to `receive`, else the proxy's or resource's outSequence, else
   * straight back to the client (as with `<respond/>`).
   */
  respond: boolean;
  /** `<send receive="seq">`: the sequence the endpoint's answer is mediated by. */
  receive?: string;
  /** `<call blocking="true">`: after it, a split message does not go on past its `<iterate>`/`<clone>` (Synapse). */
  blocking?: boolean;
  /** `<call><source>`: what is sent instead of the payload (call-source-target.ts). */
  source?: import('./call-source-target.js').CallSource;
  /** `<call><target type="property">`: the answer goes to a property and the payload stays as it was. */
  target?: import('./call-source-target.js').CallTarget;
}

/** `<loopback/>`: the message becomes the response: the outSequence runs (or the client is answered). */
export interface LoopbackMediator extends Where {
  kind: 'loopback';
}

/** Where `<iterate>` / `<clone>` send each new message: an inline sequence, a named one, or an endpoint. */
export interface SplitTarget extends Where {
  body?: Mediator[];
  sequenceKey?: string;
  endpoint?: CallEndpointMediator['endpoint'];
  /** `to="..."`: the new message's To address (what a `<default/>` endpoint sends to), as Synapse's Target sets it. */
  to?: string;
  /** `soapAction="..."`: the new message's SOAP action (`get-property('Action')`, SOAPAction of a SOAP call). */
  soapAction?: string;
}

/** `<iterate>`: one new message per item of a JSON array, each mediated by the target. */
export interface IterateMediator extends Where {
  kind: 'iterate';
  id?: string;
  expression: ExprNode;
  expressionText: string;
  /** With preservePayload: the payload with the item at this path (undefined: the item is the payload). */
  attachPath?: ExprNode;
  attachPathText?: string;
  preservePayload: boolean;
  sequential: boolean;
  continueParent: boolean;
  target: SplitTarget;
}

/** `<clone>`: one copy of the message per `<target>`. */
export interface CloneMediator extends Where {
  kind: 'clone';
  id?: string;
  sequential: boolean;
  continueParent: boolean;
  targets: SplitTarget[];
}

/** `<aggregate>`: gathers the messages of an `<iterate>`/`<clone>` (or those matching `correlateOn`). */
export interface AggregateMediator extends Where {
  kind: 'aggregate';
  id?: string;
  correlateOn?: ExprNode;
  /** completeCondition timeout, in ms (0: none). */
  timeoutMs: number;
  /** messageCount min / max (-1: not set). */
  min: number;
  max: number;
  /** What each message contributes (onComplete expression). */
  expression: ExprNode;
  expressionText: string;
  /** `root` (default): an array of the contributions; `child`: the contributions (objects) merged into one object. */
  elementType: 'root' | 'child';
  /** enclosingElementProperty: the result is wrapped in an object keyed by that property's element name. */
  enclosingProperty?: string;
  onComplete: Mediator[];
  onCompleteKey?: string;
}

export interface CallTemplateMediator extends Where {
  kind: 'call-template';
  target: string;
  params: { name: string; source: ValueOrExpression }[];
}

export type Mediator =
  | ConnectorOperationMediator
  | PropertyMediator
  | VariableMediator
  | LogMediator
  | FilterMediator
  | SwitchMediator
  | PayloadFactoryMediator
  | ForEachMediator
  | SequenceCallMediator
  | EnrichMediator
  | DropMediator
  | RespondMediator
  | HeaderMediator
  | UnsupportedMediator
  | CustomMediator
  | CallTemplateMediator
  | CallEndpointMediator
  | ValidateMediator
  | LoopbackMediator
  | IterateMediator
  | CloneMediator
  | AggregateMediator;

export interface SequenceDefinition extends Where {
  name: string;
  onError?: string;
  mediators: Mediator[];
}

export interface TemplateDefinition extends Where {
  name: string;
  parameters: { name: string; required: boolean; defaultValue?: string }[];
  body: SequenceDefinition;
}

export interface Flow {
  file: string;
  sequences: Map<string, SequenceDefinition>;
  templates: Map<string, TemplateDefinition>;
  /** `<localEntry key="...">` holding a `<servicenow.init>`, used through configKey. */
  localEntries: Map<string, ConnectorOperationMediator>;
  /** `<endpoint name="...">` definitions, for `<call><endpoint key="..."/></call>`. */
  endpoints: Map<string, import('./endpoints/definition.js').AnyEndpoint>;
  /** `<localEntry key="...">` holding text or XML (not a connector init): key -> the text (schemas for `<validate>`). */
  localValues: Map<string, string>;
  /** The sequence run when none is named: `main`, else the first one in the file. */
  defaultSequence?: string;
}
