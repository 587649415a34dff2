// Turns the XML element tree of a sequence file into mediators, compiling every expression once.
// Problems are collected (not thrown at the first) so that a user sees all of them with their lines.
import { isConnectorError } from '../errors.js';
import { isForbiddenKey, parseAttributeExpression, parseExpression } from '../context/index.js';
import type { ExprNode, PropertyScope } from '../context/index.js';
import type {
  CallTemplateMediator,
  ConnectorOperationMediator,
  EnrichMediator,
  Flow,
  ForEachMediator,
  HeaderMediator,
  LogMediator,
  Mediator,
  PayloadFactoryMediator,
  PropertyMediator,
  PropertyType,
  SequenceDefinition,
  SwitchMediator,
  TemplateDefinition,
  ValueOrExpression,
  VariableMediator,
  Where,
} from './model.js';
import { mediatorFactory, type MediatorBuildTools } from './extensions.js';
import { readEndpoint } from './endpoints/definition.js';
import { buildAggregate, buildClone, buildIterate } from './build-eip.js';
import { compilePayloadFormat } from './payload-format.js';
import { serializeXml, type XmlElement } from './xml.js';
import type { CallSource, CallTarget } from './call-source-target.js';

export interface FlowIssue {
  file: string;
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

const PROPERTY_TYPES: PropertyType[] = ['STRING', 'INTEGER', 'LONG', 'SHORT', 'DOUBLE', 'FLOAT', 'BOOLEAN', 'JSON', 'OM'];
const SCOPES: Record<string, PropertyScope> = { default: 'default', transport: 'transport', axis2: 'axis2', operation: 'operation' };
const LOG_CATEGORIES: Record<string, LogMediator['category']> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'error',
};
/** The one `<validate>` feature MI supports. */
const SECURE_PROCESSING = 'http://javax.xml.XMLConstants/feature/secure-processing';
/** WS-Addressing headers a <header> in the default scope sets (kept as message properties of those names, as get-property reads them). */
const ADDRESSING = new Set(['Action', 'To', 'From', 'ReplyTo', 'FaultTo', 'MessageID', 'RelatesTo']);
/** Elements that carry documentation or editor hints and do nothing at run time. */
const IGNORED = new Set(['description', 'comment']);
/** Connector element children that configure the call rather than being operation parameters. */
const OUTPUT_OPTIONS = new Set(['responseVariable', 'overwriteBody', 'faultOnErrorStatus']);

/**
 * Attributes each mediator understands. Anything else is reported as a warning with its line, so that a setting
 * the runtime does not implement is never silently ignored. Editor and tracing attributes are accepted everywhere.
 */
const COMMON_ATTRIBUTES = ['description', 'trace', 'statistics'];
const KNOWN_ATTRIBUTES: Record<string, readonly string[]> = {
  property: ['name', 'action', 'scope', 'type', 'value', 'expression'],
  variable: ['name', 'action', 'type', 'value', 'expression'],
  log: ['level', 'category', 'separator', 'logMessageID', 'logFullPayload'],
  filter: ['source', 'regex', 'xpath'],
  switch: ['source'],
  payloadFactory: ['media-type', 'template-type'],
  foreach: ['expression', 'collection', 'sequence', 'id', 'result-target', 'result-type', 'counter-variable', 'update-original', 'continue-without-aggregation'],
  sequence: ['key'],
  enrich: [],
  drop: [],
  respond: [],
  send: ['buildmessage', 'receive'],
  call: ['blocking'],
  loopback: [],
  iterate: ['id', 'expression', 'attachPath', 'preservePayload', 'sequential', 'continueParent'],
  clone: ['id', 'sequential', 'continueParent', 'iterations'],
  aggregate: ['id'],
  validate: ['source', 'cache-schema'],
  header: ['name', 'value', 'expression', 'scope', 'action'],
  'call-template': ['target', 'onError'],
  connector: ['configKey', 'responseVariable', 'overwriteBody', 'faultOnErrorStatus'],
};

export class FlowBuilder {
  readonly issues: FlowIssue[] = [];

  constructor(
    private readonly file: string,
    /** Element prefix of connector operations, e.g. `servicenow`. */
    private readonly connectorName: string,
    /** Keep a mediator that cannot be built as a placeholder that faults when reached (`--lenient`). */
    private readonly lenient = false,
  ) {}

  build(root: XmlElement): Flow {
    const flow: Flow = { file: this.file, sequences: new Map(), templates: new Map(), localEntries: new Map(), endpoints: new Map(), localValues: new Map() };
    const single = root.name === 'sequence' || root.name === 'template' || root.name === 'localEntry';
    const tops = single ? [root] : root.children;
    for (const el of tops) {
      // A file that is just one <sequence> may leave out its name; it is then `main`.
      if (el.name === 'sequence') this.addSequence(flow, single && !el.attributes.name ? this.sequence(el, false, 'main') : this.sequence(el, true));
      else if (el.name === 'template') this.addTemplate(flow, el);
      else if (el.name === 'localEntry') this.addLocalEntry(flow, el);
      else if (el.name === 'endpoint') this.addEndpoint(flow, el);
      else if (!IGNORED.has(el.name)) this.error(el, `<${el.name}> is not expected at the top of a sequence file (expected <sequence>, <template>, <endpoint> or <localEntry>)`);
    }
    if (flow.sequences.size === 0 && flow.templates.size === 0) this.error(root, 'the file holds no <sequence>');
    flow.defaultSequence = flow.sequences.has('main') ? 'main' : flow.sequences.keys().next().value;
    return flow;
  }

  addSequence(flow: Flow, seq: SequenceDefinition): void {
    if (flow.sequences.has(seq.name)) this.error(seq, `sequence '${seq.name}' is defined twice`);
    flow.sequences.set(seq.name, seq);
  }

  addTemplate(flow: Flow, el: XmlElement): void {
    const name = this.requiredAttribute(el, 'name');
    const parameters: TemplateDefinition['parameters'] = [];
    let body: SequenceDefinition | undefined;
    for (const child of el.children) {
      if (child.name === 'parameter') {
        const required = (child.attributes.isMandatory ?? 'false') === 'true';
        parameters.push({ name: this.requiredAttribute(child, 'name'), required, defaultValue: child.attributes.defaultValue });
      } else if (child.name === 'sequence') body = this.sequence(child, false, name);
      else if (!IGNORED.has(child.name)) this.error(child, `<${child.name}> is not expected in a <template> (expected <parameter> or <sequence>)`);
    }
    if (!body) {
      this.error(el, `template '${name}' has no <sequence>`);
      body = { name, mediators: [], file: this.file, line: el.line };
    }
    flow.templates.set(name, { name, parameters, body, file: this.file, line: el.line });
  }

  /** `<endpoint name="...">`: kept for `<call>` / `<send>` that name it by key. */
  addEndpoint(flow: Flow, el: XmlElement): void {
    const name = this.requiredAttribute(el, 'name');
    if (flow.endpoints.has(name)) this.error(el, `endpoint '${name}' is defined twice`);
    const def = readEndpoint(el, this.file, { error: (at, m) => this.error(at, m), warn: (at, m) => this.warn(at, m) }, name);
    if (def) flow.endpoints.set(name, def);
  }

  addLocalEntry(flow: Flow, el: XmlElement): void {
    const key = this.requiredAttribute(el, 'key');
    const init = el.children.find((c) => c.name === `${this.connectorName}.init`);
    if (!init && (el.children.length > 0 || el.text.trim() !== '')) {
      // A text or XML entry (a JSON Schema for <validate>, a value): kept as its text.
      flow.localValues.set(key, el.children.length > 0 ? el.children.map(serializeXml).join('') : el.text.trim());
      return;
    }
    if (!init) {
      this.error(el, `localEntry '${key}' holds no <${this.connectorName}.init>`);
      return;
    }
    const mediator = this.mediator(init);
    if (mediator?.kind === 'connector') flow.localEntries.set(key, mediator);
  }

  sequence(el: XmlElement, named: boolean, fallbackName = 'anonymous'): SequenceDefinition {
    const name = named ? this.requiredAttribute(el, 'name') : (el.attributes.name ?? fallbackName);
    return { name, onError: el.attributes.onError, mediators: this.mediators(el.children), file: this.file, line: el.line };
  }

  mediators(elements: XmlElement[]): Mediator[] {
    const out: Mediator[] = [];
    for (const el of elements) {
      const before = this.issues.length;
      const m = this.mediator(el);
      if (m) out.push(m);
      else if (this.lenient && this.issues.length > before) {
        const first = this.issues.slice(before).find((i) => i.severity === 'error');
        if (first) out.push({ kind: 'unsupported', element: el.name, reason: first.message, ...this.where(el) });
      }
    }
    return out;
  }

  private mediator(el: XmlElement): Mediator | undefined {
    const at = this.where(el);
    const custom = mediatorFactory(el.name);
    if (custom) {
      const built = custom(el, this.tools());
      return built ? { kind: 'custom', element: el.name, run: built.run, ...at } : undefined;
    }
    this.checkAttributes(el);
    if (el.name.includes('.')) return this.connectorOperation(el);
    switch (el.name) {
      case 'property':
        return this.property(el);
      case 'variable':
        return this.variable(el);
      case 'log':
        return this.log(el);
      case 'filter':
        return this.filter(el);
      case 'switch':
        return this.switchMediator(el);
      case 'payloadFactory':
        return this.payloadFactory(el);
      case 'foreach':
        return this.foreach(el);
      case 'sequence':
        if (!el.attributes.key) {
          this.error(el, '<sequence> inside a sequence needs key="name of the sequence to call"');
          return undefined;
        }
        return { kind: 'sequence', key: el.attributes.key, ...at };
      case 'enrich':
        return this.enrich(el);
      case 'drop':
        return { kind: 'drop', ...at };
      case 'respond':
        return { kind: 'respond', ...at };
      case 'send':
        // <send/> without an endpoint answers the client with the current message (a proxy's outSequence).
        if (!el.children.some((c) => !IGNORED.has(c.name))) return { kind: 'respond', ...at };
        return this.callEndpoint(el, true);
      case 'call':
        return this.callEndpoint(el, false);
      case 'validate':
        return this.validate(el);
      case 'header':
        return this.header(el);
      case 'call-template':
        return this.callTemplate(el);
      case 'loopback':
        return { kind: 'loopback', ...at };
      case 'iterate':
        return buildIterate(el, this.tools());
      case 'clone':
        return buildClone(el, this.tools());
      case 'aggregate':
        return buildAggregate(el, this.tools());
      default:
        if (IGNORED.has(el.name)) return undefined;
        this.error(el, `unknown mediator <${el.name}>`);
        return undefined;
    }
  }

  private connectorOperation(el: XmlElement): ConnectorOperationMediator | undefined {
    const dot = el.name.indexOf('.');
    const prefix = el.name.slice(0, dot);
    const operation = el.name.slice(dot + 1);
    if (prefix !== this.connectorName) {
      this.error(el, `unknown mediator <${el.name}>: the only connector here is '${this.connectorName}'`);
      return undefined;
    }
    const m: ConnectorOperationMediator = { kind: 'connector', operation, element: el.name, params: [], ...this.where(el) };
    if (el.attributes.configKey) m.configKey = el.attributes.configKey;
    if (el.attributes.responseVariable) m.responseVariable = el.attributes.responseVariable;
    if (el.attributes.overwriteBody) m.overwriteBody = el.attributes.overwriteBody;
    if (el.attributes.faultOnErrorStatus) m.faultOnErrorStatus = el.attributes.faultOnErrorStatus;
    for (const child of el.children) {
      const raw = child.text.trim();
      if (OUTPUT_OPTIONS.has(child.name)) {
        if (child.name === 'responseVariable') m.responseVariable = raw;
        else if (child.name === 'faultOnErrorStatus') m.faultOnErrorStatus = raw;
        else m.overwriteBody = raw;
      } else {
        if (child.children.length > 0) this.error(child, `parameter <${child.name}> of <${el.name}> must hold text, not elements`);
        if (m.params.some((p) => p.name === child.name)) this.error(child, `parameter <${child.name}> is given twice`);
        this.checkValue(child, raw, `${operation}.${child.name}`);
        m.params.push({ name: child.name, raw, line: child.line });
      }
    }
    return m;
  }

  private property(el: XmlElement): PropertyMediator | undefined {
    const name = this.requiredAttribute(el, 'name');
    const action = this.action(el);
    const type = this.propertyType(el);
    const m: PropertyMediator = { kind: 'property', name, action, scope: this.scope(el), type, ...this.where(el) };
    if (action === 'set') {
      const inline = el.text.trim();
      const xmlChild = el.children.filter((c) => !IGNORED.has(c.name));
      if (!inline && xmlChild.length === 1 && !el.attributes.value && !el.attributes.expression) {
        // An XML element written inside the property (an OM value, e.g. aggregate's enclosing element): kept as its text.
        m.inline = serializeXml(xmlChild[0]!);
        m.type = 'OM';
      } else if (inline && !el.attributes.value && !el.attributes.expression) m.inline = inline;
      else m.source = this.valueOrExpression(el, `property '${name}'`);
      if (m.inline !== undefined && type === 'JSON') this.checkJson(el, m.inline, `property '${name}'`);
    }
    return m;
  }

  private variable(el: XmlElement): VariableMediator {
    const name = this.requiredAttribute(el, 'name');
    const action = this.action(el);
    const m: VariableMediator = { kind: 'variable', name, action, type: this.propertyType(el), ...this.where(el) };
    if (action === 'set') m.source = this.valueOrExpression(el, `variable '${name}'`);
    return m;
  }

  private log(el: XmlElement): LogMediator {
    const level = el.attributes.level ?? 'simple';
    if (!['simple', 'full', 'custom', 'headers'].includes(level)) this.error(el, `log level '${level}' is not one of simple, full, custom, headers`);
    const categoryName = (el.attributes.category ?? 'INFO').toUpperCase();
    const category = LOG_CATEGORIES[categoryName];
    if (!category) this.error(el, `log category '${categoryName}' is not one of ${Object.keys(LOG_CATEGORIES).join(', ')}`);
    const m: LogMediator = {
      kind: 'log',
      level: level as LogMediator['level'],
      category: category ?? 'info',
      properties: [],
      ...this.where(el),
    };
    if (el.attributes.logFullPayload === 'true') m.fullPayload = true;
    for (const child of el.children) {
      if (child.name === 'property') {
        const name = this.requiredAttribute(child, 'name');
        const source = this.valueOrExpression(child, `log property '${name}'`);
        if (source) m.properties.push({ name, source });
      } else if (child.name === 'message') {
        m.message = child.text.trim();
        this.checkValue(child, m.message, 'log message');
      } else if (!IGNORED.has(child.name)) this.error(child, `<${child.name}> is not expected in <log> (expected <property> or <message>)`);
    }
    return m;
  }

  private filter(el: XmlElement): Mediator | undefined {
    const at = this.where(el);
    const { source, regex, xpath } = el.attributes;
    const thenEl = el.children.find((c) => c.name === 'then');
    const elseEl = el.children.find((c) => c.name === 'else');
    const then = thenEl ? this.mediators(thenEl.children) : this.mediators(el.children.filter((c) => c.name !== 'else'));
    const otherwise = elseEl ? this.mediators(elseEl.children) : [];
    if (xpath !== undefined) {
      const condition = this.expression(el, xpath, 'filter xpath');
      return condition ? { kind: 'filter', condition, then, otherwise, ...at } : undefined;
    }
    if (source === undefined || regex === undefined) {
      this.error(el, '<filter> needs source="..." with regex="...", or xpath="condition"');
      return undefined;
    }
    const src = this.expression(el, source, 'filter source');
    const re = this.regex(el, regex);
    return src && re ? { kind: 'filter', source: src, regex: re, then, otherwise, ...at } : undefined;
  }

  private switchMediator(el: XmlElement): SwitchMediator | undefined {
    const source = this.expression(el, this.requiredAttribute(el, 'source'), 'switch source');
    const m: SwitchMediator = { kind: 'switch', source: source ?? { kind: 'literal', value: '' }, cases: [], ...this.where(el) };
    for (const child of el.children) {
      if (child.name === 'case') {
        const re = this.regex(child, this.requiredAttribute(child, 'regex'));
        if (re) m.cases.push({ regex: re, body: this.mediators(child.children), line: child.line });
      } else if (child.name === 'default') m.otherwise = this.mediators(child.children);
      else if (!IGNORED.has(child.name)) this.error(child, `<${child.name}> is not expected in <switch> (expected <case> or <default>)`);
    }
    return source ? m : undefined;
  }

  private payloadFactory(el: XmlElement): PayloadFactoryMediator | undefined {
    const mediaType = el.attributes['media-type'] ?? 'xml';
    if (mediaType !== 'json' && mediaType !== 'text' && mediaType !== 'xml') {
      this.error(el, `payloadFactory media-type '${mediaType}' is not one of json, xml, text`);
      return undefined;
    }
    const formatEl = el.children.find((c) => c.name === 'format');
    if (!formatEl) {
      this.error(el, '<payloadFactory> needs a <format>');
      return undefined;
    }
    if (formatEl.attributes.key) this.error(formatEl, '<format key="..."> (a registry resource) is not supported; write the format inline');
    // An XML format is written as elements inside <format>; it is kept as text with its placeholders, its top
    // elements declaring the namespaces in scope that it uses, and the default one, as MI does (so an unprefixed
    // element of a format inside <sequence xmlns="http://ws.apache.org/ns/synapse"> is in that namespace unless it
    // says xmlns="").
    const format = mediaType === 'xml' ? inlineContent(formatEl) : formatEl.text.trim();
    const m: PayloadFactoryMediator = { kind: 'payloadFactory', mediaType, format, args: [], ...this.where(el) };
    const argsEl = el.children.find((c) => c.name === 'args');
    for (const arg of argsEl?.children ?? []) {
      if (arg.name !== 'arg') {
        if (!IGNORED.has(arg.name)) this.error(arg, `<${arg.name}> is not expected in <args>`);
        continue;
      }
      const expr = arg.attributes.expression;
      const evaluator = arg.attributes.evaluator ?? 'xml';
      // evaluator="json" takes a bare JSONPath ($.a.b); it means json-eval on the payload.
      const text = expr !== undefined && evaluator === 'json' && /^\s*\$(?:[.[]|\s*$)/.test(expr) ? `json-eval(${expr.trim()})` : expr;
      const source =
        text !== undefined
          ? this.expressionSource(arg, text, `payloadFactory arg ${m.args.length + 1}`)
          : { kind: 'value' as const, value: arg.attributes.value ?? '' };
      // With the XML evaluator (the default; not for ${...}) a value is text that MI types when it stands bare.
      if (source) m.args.push({ source, literal: arg.attributes.literal === 'true', xpath: source.kind === 'expression' && evaluator !== 'json' && !text!.trim().startsWith('${') });
    }
    try {
      compilePayloadFormat(m.format, m.mediaType, m.args.length);
    } catch (err) {
      this.error(formatEl, isConnectorError(err) ? err.message : String(err));
    }
    return m;
  }

  private foreach(el: XmlElement): ForEachMediator | undefined {
    const classic = el.attributes.expression;
    const collection = el.attributes.collection;
    const text = collection ?? classic;
    if (text === undefined) {
      this.error(el, '<foreach> needs expression="json-eval($.items)" or collection="${payload.items}"');
      return undefined;
    }
    const source = this.expression(el, text, 'foreach expression');
    const child = el.children.find((c) => c.name === 'sequence');
    // <sequence key="x"/> as the child names a sequence, like the sequence="x" attribute.
    const inline = child && !child.attributes.key ? child : undefined;
    const sequenceKey = el.attributes.sequence ?? child?.attributes.key;
    if (!inline && !sequenceKey) this.error(el, '<foreach> needs a <sequence> child or sequence="name"');
    if (!source) return undefined;
    const resultTarget = el.attributes['result-target'];
    return {
      kind: 'foreach',
      source,
      sourceText: text,
      body: inline ? this.mediators(inline.children) : [],
      sequenceKey,
      resultTarget,
      counterVariable: el.attributes['counter-variable'],
      updateOriginal: resultTarget === undefined && (el.attributes['update-original'] ?? 'true') !== 'false',
      ...this.where(el),
    };
  }

  private enrich(el: XmlElement): EnrichMediator | undefined {
    const sourceEl = el.children.find((c) => c.name === 'source');
    const targetEl = el.children.find((c) => c.name === 'target');
    if (!sourceEl || !targetEl) {
      this.error(el, '<enrich> needs a <source> and a <target>');
      return undefined;
    }
    const sType = sourceEl.attributes.type ?? 'custom';
    const tType = targetEl.attributes.type ?? 'custom';
    const source: EnrichMediator['source'] = { type: 'body', clone: (sourceEl.attributes.clone ?? 'true') !== 'false' };
    switch (sType) {
      case 'body':
      case 'envelope':
        break;
      case 'property':
      case 'variable':
        source.type = sType;
        source.property = this.requiredAttribute(sourceEl, sType);
        break;
      case 'custom':
        source.type = 'custom';
        source.expression = this.expression(sourceEl, this.requiredAttribute(sourceEl, sourceEl.attributes.expression ? 'expression' : 'xpath'), 'enrich source');
        break;
      case 'inline':
        source.type = 'inline';
        // Inline XML is written as elements inside <source>; inline JSON or text as its text.
        source.inline = inlineContent(sourceEl);
        break;
      default:
        this.error(sourceEl, `enrich source type '${sType}' is not supported (body, property, variable, custom, inline)`);
        return undefined;
    }
    const action = targetEl.attributes.action ?? 'replace';
    if (action !== 'replace' && action !== 'child' && action !== 'sibling') {
      this.error(targetEl, `enrich target action '${action}' is not one of replace, child, sibling`);
      return undefined;
    }
    const target: EnrichMediator['target'] = { type: 'body', action };
    switch (tType) {
      case 'body':
      case 'envelope':
        break;
      case 'property':
      case 'variable':
        target.type = tType;
        target.property = this.requiredAttribute(targetEl, tType);
        break;
      case 'custom': {
        target.type = 'custom';
        const text = this.requiredAttribute(targetEl, targetEl.attributes.expression ? 'expression' : 'xpath');
        target.pathText = text;
        target.path = this.expression(targetEl, text, 'enrich target');
        if (target.path && target.path.kind !== 'xpath' && !isPayloadPath(target.path)) this.error(targetEl, `enrich target '${text}' must be a path into the payload such as json-eval($.a.b) or an XPath`);
        const unsafe = target.path?.kind === 'path' ? target.path.steps.find((s) => s.type === 'key' && isForbiddenKey(s.name)) : undefined;
        if (unsafe?.type === 'key') this.error(targetEl, `enrich target '${text}' goes through '${unsafe.name}', which would change an object prototype`);
        break;
      }
      default:
        this.error(targetEl, `enrich target type '${tType}' is not supported (body, property, variable, custom)`);
        return undefined;
    }
    return { kind: 'enrich', source, target, ...this.where(el) };
  }

  /** `<validate [source]><schema key/><on-fail>...</on-fail></validate>` with a JSON Schema. */
  private validate(el: XmlElement): Mediator | undefined {
    const schemas = el.children.filter((c) => c.name === 'schema');
    const onFail = el.children.find((c) => c.name === 'on-fail');
    const resources: Array<{ location: string; key: string }> = [];
    for (const c of el.children) {
      if (c.name === 'feature') {
        // MI supports only secure processing, which libxml2 here always has (no DTD entities, no network).
        if (c.attributes.name !== SECURE_PROCESSING) this.warn(c, `<validate>: <feature name="${c.attributes.name ?? ''}"> is not implemented here and has no effect (only ${SECURE_PROCESSING}, always on)`);
      } else if (c.name === 'resource') {
        if (!c.attributes.location || !c.attributes.key) this.error(c, '<validate>: <resource> needs location="the schemaLocation the schema imports" and key="the resource holding it"');
        else resources.push({ location: c.attributes.location, key: c.attributes.key });
      } else if (c.name !== 'schema' && c.name !== 'on-fail' && !IGNORED.has(c.name)) this.error(c, `<${c.name}> is not expected in <validate> (expected <schema key>, <resource>, <feature>, <on-fail>)`);
    }
    if (schemas.length !== 1 || !schemas[0]!.attributes.key) {
      this.error(el, '<validate> needs exactly one <schema key="a local entry or registry resource holding a JSON or XML Schema"/>');
      return undefined;
    }
    if (schemas[0]!.attributes.key.startsWith('{')) this.error(schemas[0]!, '<validate>: a dynamic schema key ({expression}) is not supported; name the local entry or registry resource');
    if (!onFail) {
      this.error(el, '<validate> needs an <on-fail> with the mediators to run when the message does not conform');
      return undefined;
    }
    const source = el.attributes.source === undefined ? undefined : this.expression(el, el.attributes.source, 'validate source');
    if (el.attributes.source !== undefined && !source) return undefined;
    return { kind: 'validate', schemaKey: schemas[0]!.attributes.key, ...(resources.length ? { resources } : {}), onFail: this.mediators(onFail.children), ...(source ? { source } : {}), ...this.where(el) };
  }

  /** `<call>` / `<send>` with one `<endpoint key="..."/>` or an inline `<endpoint>`; a `<call>` also `<source>`/`<target>`. */
  private callEndpoint(el: XmlElement, respond: boolean): Mediator | undefined {
    const sourceEl = respond ? undefined : el.children.find((c) => c.name === 'source');
    const targetEl = respond ? undefined : el.children.find((c) => c.name === 'target');
    const parts = el.children.filter((c) => !IGNORED.has(c.name) && c !== sourceEl && c !== targetEl);
    const ep = parts[0];
    if (!ep || parts.length > 1 || ep.name !== 'endpoint') {
      this.error(el, `<${el.name}> takes one <endpoint> (key="name" or inline <http>/<address>)${respond ? ', or nothing to answer the client' : ', and optionally a <source> and a <target>'}`);
      return undefined;
    }
    const source = sourceEl ? this.callSource(sourceEl) : undefined;
    const target = targetEl ? this.callTarget(targetEl) : undefined;
    if ((sourceEl && !source) || (targetEl && !target)) return undefined;
    // Every call waits for its answer here; blocking="true" only changes where a split message goes on (see engine).
    const at = {
      ...this.where(el),
      ...(el.attributes.blocking === 'true' ? { blocking: true } : {}),
      ...(respond && el.attributes.receive ? { receive: el.attributes.receive } : {}),
      ...(source ? { source } : {}),
      ...(target ? { target } : {}),
    };
    if (ep.attributes.key !== undefined) {
      if (ep.children.some((c) => !IGNORED.has(c.name))) this.error(ep, '<endpoint key="..."> refers to an endpoint artifact and has no children');
      if (ep.attributes['key-expression'] !== undefined) this.error(ep, 'key-expression on <endpoint> is not supported');
      return { kind: 'call', endpoint: { key: ep.attributes.key }, respond, ...at };
    }
    const inline = readEndpoint(ep, this.file, { error: (a, m) => this.error(a, m), warn: (a, m) => this.warn(a, m) });
    return inline ? { kind: 'call', endpoint: { inline }, respond, ...at } : undefined;
  }

  /** `<source type="custom|inline|property" contentType="...">`: custom holds an expression, property a property name. */
  private callSource(el: XmlElement): CallSource | undefined {
    const type = el.attributes.type ?? 'custom';
    const contentType = el.attributes.contentType ? { contentType: el.attributes.contentType } : {};
    const text = el.text.trim();
    switch (type) {
      case 'custom': {
        if (text === '') return void this.error(el, '<call> <source type="custom"> needs an expression (an XPath, json-eval(...) or ${...})');
        const expression = this.expression(el, text, 'call source');
        return expression ? { type, expression, ...contentType } : undefined;
      }
      case 'property':
        if (text === '') return void this.error(el, '<call> <source type="property"> needs the name of the property');
        return { type, property: text, ...contentType };
      case 'inline':
        return { type, inline: inlineContent(el), ...contentType };
      default:
        return void this.error(el, `<call> <source type="${type}"> is not one of custom, inline, property`);
    }
  }

  /** `<target type="property">name</target>` (or type="body", the default: the answer becomes the payload). */
  private callTarget(el: XmlElement): CallTarget | undefined {
    const type = el.attributes.type ?? 'body';
    if (type === 'body') return { type };
    if (type !== 'property') return void this.error(el, `<call> <target type="${type}"> is not one of property, body`);
    const name = el.text.trim();
    if (name === '') return void this.error(el, '<call> <target type="property"> needs the name of the property');
    return { type, property: name };
  }

  /** A `<send>` to an `<endpoint>` element or an endpoint name (a proxy's target endpoint). */
  sendTo(endpoint: XmlElement | string, line: number): Mediator | undefined {
    if (typeof endpoint === 'string') return { kind: 'call', endpoint: { key: endpoint }, respond: true, file: this.file, line };
    const el: XmlElement = { name: 'send', attributes: {}, children: [endpoint], text: '', line: endpoint.line, namespaces: endpoint.namespaces };
    return this.callEndpoint(el, true);
  }

  private header(el: XmlElement): HeaderMediator {
    const name = this.requiredAttribute(el, 'name');
    const action = this.action(el);
    const scope = el.attributes.scope ?? 'transport';
    if (scope !== 'transport' && scope !== 'default') this.error(el, `header scope '${scope}' is not supported (transport)`);
    const m: HeaderMediator = { kind: 'header', name, action, ...this.where(el) };
    // WS-Addressing names in the SOAP (default) scope set the message's addressing headers, as in Synapse; Action is
    // what a SOAP endpoint call sends as SOAPAction (1.1) or the action parameter (1.2).
    const addressing = name.replace(/^wsa:/, '');
    if (el.attributes.scope !== 'transport' && ADDRESSING.has(addressing)) {
      m.name = addressing;
      m.addressing = true;
    }
    if (action === 'set') m.source = this.valueOrExpression(el, `header '${name}'`);
    return m;
  }

  private callTemplate(el: XmlElement): CallTemplateMediator {
    const m: CallTemplateMediator = { kind: 'call-template', target: this.requiredAttribute(el, 'target'), params: [], ...this.where(el) };
    for (const child of el.children) {
      if (child.name !== 'with-param') {
        if (!IGNORED.has(child.name)) this.error(child, `<${child.name}> is not expected in <call-template> (expected <with-param>)`);
        continue;
      }
      const name = this.requiredAttribute(child, 'name');
      const value = child.attributes.value ?? '';
      // with-param values follow the parameter-value rules: literal, {$ctx:x}, {json-eval(...)}, ${...}.
      this.checkValue(child, value, `with-param '${name}'`);
      m.params.push({ name, source: { kind: 'value', value } });
    }
    return m;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private checkAttributes(el: XmlElement): void {
    const known = KNOWN_ATTRIBUTES[el.name.includes('.') ? 'connector' : el.name];
    if (!known) return;
    for (const name of Object.keys(el.attributes)) {
      if (known.includes(name) || COMMON_ATTRIBUTES.includes(name) || name === 'xmlns' || name.startsWith('xmlns:')) continue;
      this.warn(el, `<${el.name}> attribute ${name}="${el.attributes[name]}" is not implemented here and has no effect`);
    }
  }

  private tools(): MediatorBuildTools {
    return {
      file: this.file,
      error: (at, message) => this.error(at, message),
      warn: (at, message) => this.warn(at, message),
      expression: (el, text, what) => this.expression(el, text, what),
      mediators: (elements) => this.mediators(elements),
    };
  }

  private valueOrExpression(el: XmlElement, what: string): ValueOrExpression | undefined {
    const { value, expression } = el.attributes;
    if (value !== undefined && expression !== undefined) this.error(el, `${what} has both value= and expression=`);
    if (expression !== undefined) return this.expressionSource(el, expression, what);
    if (value !== undefined) return { kind: 'value', value };
    this.error(el, `${what} needs value="..." or expression="..."`);
    return undefined;
  }

  private expressionSource(el: XmlElement, text: string, what: string): ValueOrExpression | undefined {
    const node = this.expression(el, text, what);
    return node ? { kind: 'expression', text, node } : undefined;
  }

  private expression(el: XmlElement, text: string, what: string): ExprNode | undefined {
    try {
      return parseAttributeExpression(text, undefined, el.namespaces);
    } catch (err) {
      this.error(el, `${what}: ${isConnectorError(err) ? err.message : String(err)}`);
      return undefined;
    }
  }

  private checkValue(el: XmlElement, raw: string, what: string): void {
    try {
      parseExpression(raw);
    } catch (err) {
      this.error(el, `${what}: ${isConnectorError(err) ? err.message : String(err)}`);
    }
  }

  private checkJson(el: XmlElement, text: string, what: string): void {
    try {
      JSON.parse(text);
    } catch (err) {
      this.error(el, `${what}: not valid JSON (${(err as Error).message})`);
    }
  }

  private regex(el: XmlElement, pattern: string): RegExp | undefined {
    try {
      // Synapse matches the whole value (Java's Matcher.matches), not a substring.
      return new RegExp(`^(?:${pattern})$`, 's');
    } catch (err) {
      this.error(el, `regex '${pattern}' is invalid: ${(err as Error).message}`);
      return undefined;
    }
  }

  private action(el: XmlElement): 'set' | 'remove' {
    const action = el.attributes.action ?? 'set';
    if (action !== 'set' && action !== 'remove') this.error(el, `action '${action}' is not set or remove`);
    return action === 'remove' ? 'remove' : 'set';
  }

  private scope(el: XmlElement): PropertyScope {
    const name = el.attributes.scope ?? 'default';
    const scope = SCOPES[name];
    if (!scope) this.error(el, `scope '${name}' is not one of ${Object.keys(SCOPES).join(', ')}`);
    return scope ?? 'default';
  }

  private propertyType(el: XmlElement): PropertyType {
    const type = (el.attributes.type ?? 'STRING').toUpperCase() as PropertyType;
    if (!PROPERTY_TYPES.includes(type)) this.error(el, `type '${type}' is not one of ${PROPERTY_TYPES.join(', ')}`);
    return PROPERTY_TYPES.includes(type) ? type : 'STRING';
  }

  private requiredAttribute(el: XmlElement, name: string): string {
    const value = el.attributes[name];
    if (value === undefined || value === '') {
      this.error(el, `<${el.name}> needs the attribute ${name}="..."`);
      return '';
    }
    return value;
  }

  private where(el: XmlElement): Where {
    return { file: this.file, line: el.line };
  }

  error(at: { line: number }, message: string): void {
    this.issues.push({ file: this.file, line: at.line, message, severity: 'error' });
  }

  warn(at: { line: number }, message: string): void {
    this.issues.push({ file: this.file, line: at.line, message, severity: 'warning' });
  }
}

/** Content written inside an element (payloadFactory's format, an inline source): its XML children, else its text. */
function inlineContent(el: XmlElement): string {
  return el.children.length > 0 ? el.children.map((c) => serializeXml(withScopeNamespaces(c, el.namespaces))).join('') : el.text.trim();
}

/** `el` with xmlns declarations added for the in-scope namespaces its text uses (and the default one). */
function withScopeNamespaces(el: XmlElement, inScope: Readonly<Record<string, string>>): XmlElement {
  const text = serializeXml(el);
  const declared: Record<string, string> = {};
  for (const [prefix, uri] of Object.entries(inScope)) {
    const attr = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
    if (attr in el.attributes) continue;
    // The default namespace when an unprefixed element uses it; a prefix when the format names it.
    const used = prefix === '' ? /<[A-Za-z_][\w.-]*[\s/>]/.test(text) : new RegExp(`[<\\s/'"(]${prefix.replace(/[.-]/g, '\\$&')}:`).test(text);
    if (used) declared[attr] = uri;
  }
  return { ...el, attributes: { ...declared, ...el.attributes } };
}

/** True for `json-eval($.a.b)` / `${payload.a.b}`: a path of keys and indexes from the payload. */
export function isPayloadPath(node: ExprNode): boolean {
  if (node.kind === 'payload') return true;
  return node.kind === 'path' && node.base.kind === 'payload' && node.steps.every((s) => s.type === 'key' || s.type === 'index');
}
