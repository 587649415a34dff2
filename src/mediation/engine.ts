// Runs a parsed flow over a MessageContext: one mediator after the other, nested sequences, foreach,
// templates, and fault handling through `onError` sequences.
import { ConnectorError, isConnectorError } from '../errors.js';
import { asText, evaluateNode, evaluateValue, PathWriteError, truthy, writeAtPath, type JsonValue, type MessageContext } from '../context/index.js';
import type { Connector } from '../invoke/types.js';
import type { Logger } from '../logger.js';
import { isPayloadPath } from './build.js';
import { answerWithErrorStatus, CONNECTION_PROPERTY, ConnectionPool, connectionOf, faultOnErrorStatusOf, operationParams, overwriteBodyOf } from './connector-call.js';
import { processMessageStoreSink } from './extensions.js';
import { itemsOf } from './items.js';
import { runEnrich } from './mediators/enrich.js';
import { runLog } from './mediators/log.js';
import { runHeader, runProperty, runVariable } from './mediators/property.js';
import { evaluateSource } from './mediators/values.js';
import { callEndpoint } from './endpoints/endpoint-call.js';
import { compileJsonSchema, describeSchemaErrors } from './mediators/json-schema.js';
import type {
  CallEndpointMediator,
  CallTemplateMediator,
  ConnectorOperationMediator,
  Flow,
  ForEachMediator,
  Mediator,
  MediatorRuntime,
  MessageStoreSink,
  PayloadFactoryMediator,
  SequenceDefinition,
  ValidateMediator,
} from './model.js';
import { compilePayloadFormat, renderPayload } from './payload-format.js';
import { FlowStop, HandledFault, asConnectorError, setErrorProperties } from './signals.js';
import type { MediationObserver } from './observer.js';

/** Deepest nesting of sequence calls and templates; a sequence that calls itself forever stops here. */
const MAX_DEPTH = 64;

export class Engine {
  private depth = 0;
  private readonly pool: ConnectionPool;
  private readonly ownsPool: boolean;

  constructor(
    private readonly flow: Flow,
    private readonly connector: Connector,
    private readonly logger: Logger,
    /** Optional trace hook (the explorer's run view); the engine only reports, it never waits on it. */
    private readonly observer?: MediationObserver,
    /** A pool that outlives this run (a server's): connections are reused across messages and not closed here. */
    shared?: ConnectionPool,
    /** Message stores for `<store>`; without them, the process's (setProcessMessageStores). */
    private readonly messageStores?: MessageStoreSink,
  ) {
    this.pool = shared ?? new ConnectionPool(connector);
    this.ownsPool = shared === undefined;
  }

  close(): Promise<void> {
    return this.ownsPool ? this.pool.closeAll() : Promise.resolve();
  }

  /**
   * Runs a sequence. On a failure its `onError` sequence (if any) runs with ERROR_* set, and the flow
   * stops with a HandledFault; without one, the error goes up to the caller's sequence.
   */
  async runSequence(seq: SequenceDefinition, ctx: MessageContext): Promise<void> {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${seq.file}:${seq.line}: sequences nest deeper than ${MAX_DEPTH} (a sequence calls itself?)` });
    }
    try {
      await this.runMediators(seq.mediators, ctx, seq.name);
    } catch (err) {
      if (err instanceof FlowStop || err instanceof HandledFault || !seq.onError) throw err;
      const error = asConnectorError(err);
      setErrorProperties(ctx, error);
      this.logger.log('warn', `sequence '${seq.name}' failed, running its fault sequence '${seq.onError}'`, { code: error.code, message: error.message });
      const faultSeq = this.sequence(seq.onError, seq);
      this.observer?.fault?.({ sequence: seq.name, faultSequence: faultSeq.name, error, context: ctx });
      try {
        await this.runMediators(faultSeq.mediators, ctx, faultSeq.name);
      } catch (inner) {
        if (inner instanceof FlowStop) throw new HandledFault(error, inner.reason);
        if (inner instanceof HandledFault) throw inner;
        const second = asConnectorError(inner);
        setErrorProperties(ctx, second);
        throw new HandledFault(second);
      }
      throw new HandledFault(error);
    } finally {
      this.depth--;
    }
  }

  async runMediators(mediators: readonly Mediator[], ctx: MessageContext, sequence: string): Promise<void> {
    for (const m of mediators) {
      this.observer?.enter?.({ mediator: m, sequence, context: ctx });
      try {
        await this.runMediator(m, ctx, sequence);
        this.observer?.leave?.({ mediator: m, sequence, context: ctx });
      } catch (err) {
        if (err instanceof FlowStop || err instanceof HandledFault) {
          this.observer?.leave?.({ mediator: m, sequence, context: ctx, stopped: err instanceof FlowStop ? err.reason : 'fault' });
          throw err;
        }
        const error = asConnectorError(err, { file: m.file, line: m.line, label: m.kind });
        this.observer?.leave?.({ mediator: m, sequence, context: ctx, error });
        throw error;
      }
    }
  }

  private async runMediator(m: Mediator, ctx: MessageContext, sequence: string): Promise<void> {
    switch (m.kind) {
      case 'connector':
        return this.runConnector(m, ctx);
      case 'property':
        return runProperty(m, ctx);
      case 'variable':
        return runVariable(m, ctx);
      case 'log':
        return runLog(m, ctx, this.logger, sequence);
      case 'filter': {
        const pass = m.condition ? truthy(evaluateNode(m.condition, ctx)) : m.regex!.test(asText(evaluateNode(m.source!, ctx)));
        return this.runMediators(pass ? m.then : m.otherwise, ctx, sequence);
      }
      case 'switch': {
        const value = asText(evaluateNode(m.source, ctx));
        const match = m.cases.find((c) => c.regex.test(value));
        return this.runMediators(match ? match.body : (m.otherwise ?? []), ctx, sequence);
      }
      case 'payloadFactory':
        return this.runPayloadFactory(m, ctx);
      case 'foreach':
        return this.runForEach(m, ctx, sequence);
      case 'sequence':
        return this.runSequence(this.sequence(m.key, m), ctx);
      case 'enrich':
        return runEnrich(m, ctx);
      case 'drop':
        throw new FlowStop('drop');
      case 'respond':
        throw new FlowStop('respond');
      case 'call-template':
        return this.runTemplate(m, ctx);
      case 'call':
        return this.runCall(m, ctx);
      case 'validate':
        return this.runValidate(m, ctx, sequence);
      case 'header':
        return runHeader(m, ctx);
      case 'custom':
        return m.run(ctx, this.runtime);
      case 'unsupported':
        throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: <${m.element}> cannot run here (loaded with --lenient): ${m.reason}` });
    }
  }

  /** `<validate>`: a message that does not conform runs `<on-fail>` (which usually answers 400 and ends the flow). */
  private async runValidate(m: ValidateMediator, ctx: MessageContext, sequence: string): Promise<void> {
    const text = this.flow.localValues.get(m.schemaKey);
    const schema = text === undefined ? { problem: 'does not exist' } : compileJsonSchema(text);
    if ('problem' in schema) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: <validate>: the schema '${m.schemaKey}' ${schema.problem}` });
    const value = m.source ? evaluateNode(m.source, ctx) : ctx.payload;
    if (schema.validate(value)) return;
    const detail = describeSchemaErrors(schema.validate.errors);
    ctx.setProperty('ERROR_MESSAGE', `the message does not conform to the schema '${m.schemaKey}': ${detail}`);
    ctx.setProperty('ERROR_DETAIL', detail);
    await this.runMediators(m.onFail, ctx, sequence);
  }

  /** `<call>` / `<send>` to an endpoint; `<send>` then answers the client with what the endpoint answered. */
  private async runCall(m: CallEndpointMediator, ctx: MessageContext): Promise<void> {
    const ep = 'inline' in m.endpoint ? m.endpoint.inline : this.flow.endpoints.get(m.endpoint.key);
    if (!ep) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: no <endpoint> named '${'key' in m.endpoint ? m.endpoint.key : ''}'` });
    await callEndpoint(ep, ctx, this.logger);
    if (m.respond) throw new FlowStop('respond');
  }

  private async runConnector(m: ConnectorOperationMediator, ctx: MessageContext): Promise<void> {
    if (m.operation === 'init') {
      ctx.setProperty(CONNECTION_PROPERTY, this.pool.connect(m, ctx), 'operation');
      return;
    }
    let conn;
    if (m.configKey) {
      const entry = this.flow.localEntries.get(m.configKey);
      if (!entry) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: configKey '${m.configKey}' names no <localEntry>` });
      conn = this.pool.connect(entry, ctx);
    } else conn = connectionOf(ctx, m);
    const overwriteBody = overwriteBodyOf(m, ctx);
    const info = this.connector.describe(m.operation);
    const params = operationParams(m, info, ctx);
    const allPages = info?.paging?.allPagesParameter;
    if (allPages !== undefined && m.responseVariable && !overwriteBody && String(params[allPages]).toLowerCase() === 'true') {
      // Every page into a variable: the records stay a stream (read as a <foreach> iterates them, memory flat),
      // in the place the single-page call puts its array (vars.<name>.payload.<records member>).
      const stream = conn.stream(m.operation, params);
      ctx.variables.set(m.responseVariable, { payload: { [info!.paging!.records]: stream }, attributes: { statusCode: 200 }, headers: {} });
      return;
    }
    let result;
    try {
      result = await conn.invoke(m.operation, params, { context: ctx, overwriteBody, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    } catch (err) {
      // WSO2 status semantics: ServiceNow's 4xx/5xx answer is a response (HTTP_SC + its error body), not a fault,
      // unless this call opts in to faults. Transport failures and bad input stay faults.
      if (isConnectorError(err) && err.response && !faultOnErrorStatusOf(m, ctx)) {
        answerWithErrorStatus(m, ctx, err, overwriteBody);
        return;
      }
      throw err;
    }
    if (overwriteBody) {
      ctx.payload = result.payload;
      ctx.contentType = 'application/json';
    }
    if (m.responseVariable) {
      ctx.variables.set(m.responseVariable, { payload: result.payload, attributes: { statusCode: result.status }, headers: result.headers });
    }
  }

  private runPayloadFactory(m: PayloadFactoryMediator, ctx: MessageContext): void {
    const args = m.args.map((a) => evaluateSource(a.source, ctx));
    const compiled = compilePayloadFormat(m.format, m.mediaType, m.args.length);
    ctx.payload = renderPayload(compiled, args, ctx) as JsonValue;
    ctx.contentType = m.mediaType === 'json' ? 'application/json' : m.mediaType === 'xml' ? 'application/xml' : 'text/plain';
  }

  /**
   * Runs the body once per item, each on its own copy of the context whose payload is the item, one
   * after the other. The iterations' final payloads are collected: into `result-target` (a variable, or
   * `body`), or, in the classic style, written back over the array the expression pointed at.
   */
  private async runForEach(m: ForEachMediator, ctx: MessageContext, sequence: string): Promise<void> {
    const source = evaluateNode(m.source, ctx);
    const body = m.sequenceKey ? this.sequence(m.sequenceKey, m) : undefined;
    const results: unknown[] = [];
    let index = 0;
    for await (const item of itemsOf(source, `${m.file}:${m.line}: foreach '${m.sourceText}'`)) {
      const iteration = ctx.withPayload(structuredClone(item) as JsonValue);
      if (m.counterVariable) iteration.variables.set(m.counterVariable, index);
      index++;
      try {
        if (body) await this.runSequence(body, iteration);
        else await this.runMediators(m.body, iteration, sequence);
      } catch (err) {
        // <drop/> inside an iteration drops that item only, as with Synapse's cloned messages.
        if (err instanceof FlowStop && err.reason === 'drop') continue;
        throw err;
      }
      results.push(iteration.payload);
    }
    if (m.resultTarget === 'body') {
      ctx.payload = results as JsonValue;
      ctx.contentType = 'application/json';
    } else if (m.resultTarget) ctx.variables.set(m.resultTarget, results);
    else if (m.updateOriginal && Array.isArray(source) && isPayloadPath(m.source)) writeBack(ctx, m, results);
  }

  /** What custom mediators (registerMediator) may use. */
  private get runtime(): MediatorRuntime {
    return {
      runSequence: (name, ctx) => this.runSequence(this.sequence(name, { file: this.flow.file, line: 0 }), ctx),
      logger: this.logger,
      messageStores: this.messageStores ?? processMessageStoreSink(),
    };
  }

  private async runTemplate(m: CallTemplateMediator, ctx: MessageContext): Promise<void> {
    const template = this.flow.templates.get(m.target);
    if (!template) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: no template named '${m.target}'` });
    const params = new Map<string, unknown>();
    for (const p of template.parameters) {
      const given = m.params.find((w) => w.name === p.name);
      const value = given ? evaluateValue(evaluateSource(given.source, ctx) as string, ctx) : p.defaultValue;
      if (value === undefined && p.required) {
        throw new ConnectorError({ code: 'MISSING_PARAMETER', parameter: p.name, message: `${m.file}:${m.line}: template '${m.target}' needs the parameter '${p.name}'` });
      }
      if (value !== undefined) params.set(p.name, value);
    }
    const saved = ctx.templateParams;
    ctx.templateParams = params;
    try {
      await this.runSequence(template.body, ctx);
    } finally {
      ctx.templateParams = saved;
    }
  }

  sequence(name: string, from: { file: string; line: number }): SequenceDefinition {
    const seq = this.flow.sequences.get(name);
    if (!seq) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${from.file}:${from.line}: no sequence named '${name}'` });
    return seq;
  }
}

function writeBack(ctx: MessageContext, m: ForEachMediator, results: unknown[]): void {
  const node = m.source;
  if (node.kind === 'payload') {
    ctx.payload = results as JsonValue;
    return;
  }
  if (node.kind !== 'path' || ctx.payload === null || typeof ctx.payload !== 'object') return;
  try {
    writeAtPath(ctx.payload, node.steps, () => results, `${m.file}:${m.line}: foreach '${m.sourceText}'`);
  } catch (err) {
    // As before: a path that no longer leads anywhere leaves the payload as it is; an unsafe key is refused.
    if (!(err instanceof PathWriteError)) throw err;
  }
}
