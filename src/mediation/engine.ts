// Runs a parsed flow over a MessageContext: one mediator after the other, nested sequences, foreach,
// templates, and fault handling through `onError` sequences.
import { ConnectorError, isConnectorError } from '../errors.js';
import { asText, conditionHolds, envelopeText, evaluateNode, evaluateValue, isXmlType, PathWriteError, payloadKind, setXmlPayload, writeAtPath, xmlMessage, type XmlMessage, type JsonValue, type MessageContext } from '../context/index.js';
import { PARSE_ON_READ } from '../invoke/deferred-payload.js';
import { receivedTextOf } from '../invoke/response.js';
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
import { callAnyEndpoint } from './endpoints/group-call.js';
import { callWithSourceAndTarget } from './call-source-target.js';
import { nonConformity } from './mediators/validate-run.js';
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
  AggregateMediator,
  CloneMediator,
  IterateMediator,
  SplitTarget,
  Where,
} from './model.js';
import { compilePayloadFormat, renderPayload } from './payload-format.js';
import { FlowStop, HandledFault, asConnectorError, setErrorProperties } from './signals.js';
import type { MediationObserver } from './observer.js';
import { Aggregation, SplitGroup, aggregatedPayload, type SplitMark } from './eip.js';
import { MessageFamily, snapshot, type Frame, type MessageState } from './frames.js';
import { aggregateXml, isXPath, splitXml } from './eip-xml.js';

/** Deepest nesting of sequence calls and templates; a sequence that calls itself forever stops here. */
const MAX_DEPTH = 64;
/** Split messages mediated at once by a parallel `<iterate>`/`<clone>` (Synapse uses a worker pool). */
const PARALLEL_BRANCHES = 32;

export class Engine {
  /** What every message of this run shares (the answer, pending work). */
  readonly family = new MessageFamily();
  /** The proxy's or resource's outSequence: where `<send>`'s answer and `<loopback/>` go. */
  outSequence: string | undefined;
  private readonly states = new WeakMap<MessageContext, MessageState>();
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
  runSequence(seq: SequenceDefinition, ctx: MessageContext): Promise<void> {
    // Not async itself: each async layer costs a promise and a turn of the microtask queue per message.
    return this.runGuarded(seq, ctx, () => this.runMediators(seq.mediators, ctx, seq.name));
  }

  /** Runs `body` inside the sequence `seq`: counted for the nesting limit, its faults handled by seq's onError. */
  private async runGuarded(seq: SequenceDefinition, ctx: MessageContext, body: () => Promise<void>): Promise<void> {
    const state = this.state(ctx);
    if (state.frames.filter((f) => f.kind === 'sequence').length >= MAX_DEPTH) {
      throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${seq.file}:${seq.line}: sequences nest deeper than ${MAX_DEPTH} (a sequence calls itself?)` });
    }
    const frame: Frame = { kind: 'sequence', seq };
    state.frames.push(frame);
    try {
      await body();
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
        if (inner instanceof FlowStop) throw new HandledFault(error, inner.reason, inner.context ?? ctx);
        if (inner instanceof HandledFault) throw inner;
        const second = asConnectorError(inner);
        setErrorProperties(ctx, second);
        throw new HandledFault(second);
      }
      throw new HandledFault(error);
    } finally {
      removeFrame(state.frames, frame);
    }
  }

  runMediators(mediators: readonly Mediator[], ctx: MessageContext, sequence: string): Promise<void> {
    return this.runFrame({ kind: 'mediators', mediators, next: 0, sequence }, ctx);
  }

  /** Runs a list from frame.next on (after `inner`, the deeper frames of a message going on from a split). */
  private async runFrame(frame: Frame & { kind: 'mediators' }, ctx: MessageContext, inner?: () => Promise<void>): Promise<void> {
    const state = this.state(ctx);
    state.frames.push(frame);
    try {
      if (inner) await inner();
      while (frame.next < frame.mediators.length) {
        const m = frame.mediators[frame.next++]!;
        this.observer?.enter?.({ mediator: m, sequence: frame.sequence, context: ctx });
        try {
          await this.runMediator(m, ctx, frame.sequence);
          this.observer?.leave?.({ mediator: m, sequence: frame.sequence, context: ctx });
        } catch (err) {
          if (err instanceof FlowStop || err instanceof HandledFault) {
            this.observer?.leave?.({ mediator: m, sequence: frame.sequence, context: ctx, stopped: err instanceof FlowStop ? err.reason : 'fault' });
            throw err;
          }
          const error = asConnectorError(err, { file: m.file, line: m.line, label: m.kind });
          this.observer?.leave?.({ mediator: m, sequence: frame.sequence, context: ctx, error });
          throw error;
        }
      }
    } finally {
      removeFrame(state.frames, frame);
    }
  }

  /** The message's place in the flow and split marks (created on first use). */
  private state(ctx: MessageContext): MessageState {
    let st = this.states.get(ctx);
    if (!st) this.states.set(ctx, (st = { frames: [], splits: new Map(), outFlow: false, called: false }));
    return st;
  }

  /** Records the answer of the request: the first message that answers wins, as only one response can be sent. */
  reply(ctx: MessageContext, fault?: ConnectorError): void {
    this.family.reply ??= { ctx, ...(fault ? { fault } : {}) };
  }

  /**
   * Runs one mediator: a promise for the ones that wait, nothing for the synchronous ones. Not async itself, so a
   * <respond/> or <drop/> is thrown straight into runFrame's try instead of through one more rejected promise.
   */
  private runMediator(m: Mediator, ctx: MessageContext, sequence: string): Promise<void> | void {
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
        const pass = m.condition ? conditionHolds(m.condition, ctx) : m.regex!.test(asText(evaluateNode(m.source!, ctx)));
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
        throw new FlowStop('respond', ctx);
      case 'loopback':
        return this.toOutFlow(ctx, undefined, m);
      case 'iterate':
        return this.runIterate(m, ctx);
      case 'clone':
        return this.runClone(m, ctx);
      case 'aggregate':
        return this.runAggregate(m, ctx);
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
    const failure = await nonConformity(m, ctx, this.flow);
    if (!failure) return;
    ctx.setProperty('ERROR_MESSAGE', failure.message);
    ctx.setProperty('ERROR_DETAIL', failure.detail);
    await this.runMediators(m.onFail, ctx, sequence);
  }

  /** `<call>` / `<send>` to an endpoint; `<send>`'s answer then goes the way of a response (toOutFlow). */
  private async runCall(m: CallEndpointMediator, ctx: MessageContext): Promise<void> {
    // Only with a source or target: saving the payload reads it, which drops the answer bytes serve could forward.
    if (m.source || m.target) await callWithSourceAndTarget(m.source, m.target, ctx, m, () => this.callEndpointOf(m.endpoint, ctx, m));
    else await this.callEndpointOf(m.endpoint, ctx, m);
    if (!m.blocking) this.state(ctx).called = true;
    if (m.respond) await this.toOutFlow(ctx, m.receive, m);
  }

  private async callEndpointOf(ref: CallEndpointMediator['endpoint'], ctx: MessageContext, at: Where): Promise<void> {
    const ep = 'inline' in ref ? ref.inline : this.flow.endpoints.get(ref.key);
    if (!ep) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${at.file}:${at.line}: no <endpoint> named '${'key' in ref ? ref.key : ''}'` });
    // responseAction discard: a timed-out call ends this message quietly (Synapse skips the fault handlers).
    if ((await callAnyEndpoint(ep, ctx, this.logger, (key) => this.flow.endpoints.get(key))) === 'discarded') throw new FlowStop('drop');
  }

  /**
   * The message is now a response (`<send>`'s answer, `<loopback/>`): the `receive` sequence, else the outSequence
   * runs it from its top (not inside the in-flow's lists); without one, or when it is already in the out flow, it
   * answers the client. Either way the in-flow of this message ends here.
   */
  private async toOutFlow(ctx: MessageContext, receive: string | undefined, at: Where): Promise<never> {
    const state = this.state(ctx);
    const out = receive ?? (state.outFlow ? undefined : this.outSequence);
    if (out === undefined) throw new FlowStop('respond', ctx);
    state.outFlow = true;
    const saved = state.frames;
    state.frames = [];
    try {
      await this.runSequence(this.sequence(out, at), ctx);
    } finally {
      state.frames = saved;
    }
    // The out flow ended without answering: nothing more happens to this message.
    throw new FlowStop('drop');
  }

  // ---- iterate / clone / aggregate --------------------------------------------------------------

  /** `<iterate>`: one message per item of the JSON array, each through the target; the parent stops unless continueParent. */
  private async runIterate(m: IterateMediator, ctx: MessageContext): Promise<void> {
    if (isXPath(m.expression)) {
      // XML: one message per element the XPath selects (eip-xml.ts).
      const parts = splitXml(m, ctx);
      const splitGroup = new SplitGroup(m.id, parts.length);
      const frames = snapshot(this.state(ctx).frames);
      const branches = parts.map((part, index) => () => {
        const branch = ctx.withPayload(undefined);
        setXmlPayload(branch, part.payload, part.contentType);
        return this.branch(branch, ctx, splitGroup, index, frames, () => this.runTarget(m.target, branch));
      });
      return this.split(branches, m);
    }
    const where = `${m.file}:${m.line}: iterate '${m.expressionText}'`;
    const value = evaluateNode(m.expression, ctx);
    if (value !== undefined && value !== null && !Array.isArray(value)) {
      throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${where} is not a JSON array that can be iterated` });
    }
    const items = (value ?? []) as JsonValue[];
    // preservePayload: each message is the payload with the item at attachPath, the iterated array emptied.
    let template: JsonValue | undefined;
    if (m.preservePayload && m.attachPath) {
      template = structuredClone(ctx.payload ?? null);
      if (m.attachPathText?.trim() !== m.expressionText.trim() && isPayloadPath(m.expression) && m.expression.kind === 'path' && template !== null && typeof template === 'object') {
        writeAtPath(template, m.expression.steps, () => [], where);
      }
    }
    const group = new SplitGroup(m.id, items.length);
    const frames = snapshot(this.state(ctx).frames);
    const branches = items.map((item, index) => () => {
      let payload: JsonValue = item;
      if (template !== undefined && m.attachPath?.kind === 'path') {
        payload = structuredClone(template);
        const found = evaluateNode(m.attachPath, ctx.withPayload(payload));
        if (found === undefined || found === null) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: iterate attachPath '${m.attachPathText}' is not in the payload` });
        writeAtPath(payload as object, m.attachPath.steps, () => item, where);
      }
      const branch = ctx.withPayload(payload);
      branch.contentType = 'application/json';
      return this.branch(branch, ctx, group, index, frames, () => this.runTarget(m.target, branch));
    });
    await this.split(branches, m);
  }

  /** `<clone>`: one copy of the message per target. */
  private async runClone(m: CloneMediator, ctx: MessageContext): Promise<void> {
    const group = new SplitGroup(m.id, m.targets.length);
    const frames = snapshot(this.state(ctx).frames);
    const branches = m.targets.map((target, index) => () => {
      const branch = ctx.clone();
      return this.branch(branch, ctx, group, index, frames, () => this.runTarget(target, branch));
    });
    await this.split(branches, m);
  }

  /** Runs the new messages (one after the other, or PARALLEL_BRANCHES at a time); the parent goes on or stops. */
  private async split(branches: (() => Promise<void>)[], m: IterateMediator | CloneMediator): Promise<void> {
    const all = m.sequential ? sequentially(branches) : inParallel(branches, PARALLEL_BRANCHES);
    if (m.continueParent && !m.sequential) {
      this.family.track(all);
      return;
    }
    await all;
    if (!m.continueParent) throw new FlowStop('drop');
  }

  /** Prepares a split message (marks, MESSAGE_SEQUENCE) and runs it to its end, recording an answer or a fault. */
  private branch(branch: MessageContext, parent: MessageContext, group: SplitGroup, index: number, frames: Frame[], first: () => Promise<void>): Promise<void> {
    const splits = new Map(this.state(parent).splits);
    const mark: SplitMark = { group, index };
    splits.set(group.id ?? '', mark);
    this.states.set(branch, { frames: [], splits, outFlow: this.state(parent).outFlow, called: false });
    branch.setProperty(group.id ? `MESSAGE_SEQUENCE.${group.id}` : 'MESSAGE_SEQUENCE', `${index}/${group.total}`);
    return this.goOn(branch, frames, first).finally(() => {
      if (--group.open === 0) this.giveUpIncomplete(group);
    });
  }

  /** Runs `first` then the rest of `frames` on a message that is not the request's own (split, aggregated). */
  private async goOn(ctx: MessageContext, frames: Frame[], first: () => Promise<void>): Promise<void> {
    const exec = async (k: number): Promise<void> => {
      if (k === frames.length) return first();
      const f = frames[k]!;
      if (f.kind === 'sequence') return this.runGuarded(f.seq, ctx, () => exec(k + 1));
      return this.runFrame({ ...f }, ctx, () => exec(k + 1));
    };
    try {
      await exec(0);
    } catch (err) {
      if (err instanceof FlowStop) {
        if (err.reason === 'respond') this.reply(err.context ?? ctx);
        return;
      }
      if (err instanceof HandledFault) {
        if (err.stop === 'respond') this.reply(err.context ?? ctx, err.error);
        else this.family.fault ??= err.error;
        return;
      }
      const error = asConnectorError(err);
      setErrorProperties(ctx, error);
      this.logger.log('warn', `a split message failed: ${error.message}`, { code: error.code });
      this.family.fault ??= error;
    }
  }

  /**
   * A target: an inline sequence (after which the message goes on past the split only if it made a non-blocking
   * call, as Synapse's continuation does), a named sequence (the message ends with it), or an endpoint (its answer
   * is a response: outSequence or the client).
   */
  private async runTarget(t: SplitTarget, ctx: MessageContext): Promise<void> {
    // As Synapse's Target: the addressing headers are set before the sequence or endpoint gets the message.
    if (t.soapAction !== undefined) ctx.setProperty('Action', t.soapAction);
    if (t.to !== undefined) ctx.setProperty('To', t.to);
    if (t.body) {
      await this.runMediators(t.body, ctx, 'target');
      if (this.state(ctx).called) return;
    } else if (t.sequenceKey) await this.runSequence(this.sequence(t.sequenceKey, t), ctx);
    else if (t.endpoint) {
      await this.callEndpointOf(t.endpoint, ctx, t);
      await this.toOutFlow(ctx, undefined, t);
    }
    throw new FlowStop('drop');
  }

  /** `<aggregate>`: gathers the message; the one that completes the aggregation runs onComplete with the result. */
  private async runAggregate(m: AggregateMediator, ctx: MessageContext): Promise<void> {
    let aggregation: Aggregation | undefined;
    let order: number;
    if (m.correlateOn) {
      const key = evaluateNode(m.correlateOn, ctx);
      if (key === undefined || key === null || key === false || (Array.isArray(key) && key.length === 0)) return;
      aggregation = Aggregation.correlated.get(m);
      if (!aggregation) Aggregation.correlated.set(m, (aggregation = this.openAggregation(m, undefined, ctx)));
      order = aggregation.messages.length;
    } else {
      const mark = this.state(ctx).splits.get(m.id ?? '');
      // Not a message of a split: it goes on (Synapse: no aggregation correlation).
      if (!mark) return;
      if (mark.group.completed.has(m)) throw new FlowStop('drop');
      aggregation = mark.group.aggregations.get(m);
      if (!aggregation) mark.group.aggregations.set(m, (aggregation = this.openAggregation(m, mark.group, ctx)));
      order = mark.index;
    }
    if (m.max <= 0 || aggregation.messages.length < m.max) aggregation.messages.push({ ctx, order });
    if (aggregation.isComplete()) await this.completeAggregation(aggregation);
    throw new FlowStop('drop');
  }

  private openAggregation(m: AggregateMediator, group: SplitGroup | undefined, ctx: MessageContext): Aggregation {
    const aggregation = new Aggregation(m, group);
    aggregation.frames = snapshot(this.state(ctx).frames);
    if (m.timeoutMs > 0) {
      aggregation.timer = setTimeout(() => {
        this.logger.log('warn', `${m.file}:${m.line}: aggregate timed out after ${m.timeoutMs} ms with ${aggregation.messages.length} message(s)`);
        void this.completeAggregation(aggregation);
      }, m.timeoutMs);
      this.family.track(aggregation.done);
    }
    return aggregation;
  }

  /** Builds the aggregated message and runs onComplete, then the mediators after `<aggregate>`. */
  private async completeAggregation(a: Aggregation): Promise<void> {
    if (a.completed) return;
    a.completed = true;
    clearTimeout(a.timer);
    const m = a.mediator;
    if (a.group) a.group.completed.add(m);
    else if (Aggregation.correlated.get(m) === a) Aggregation.correlated.delete(m);
    try {
      const gathered = [...a.messages].sort((x, y) => x.order - y.order);
      const first = gathered[0]?.ctx;
      if (!first) return;
      const enclosing = m.enclosingProperty ? first.getProperty(m.enclosingProperty) : undefined;
      let ctx: MessageContext;
      if (isXPath(m.expression)) {
        ctx = first.withPayload(undefined);
        aggregateXml(m, gathered.map((g) => g.ctx), ctx, enclosing);
      } else {
        ctx = first.withPayload(aggregatedPayload(m, gathered.map((g) => evaluateNode(m.expression, g.ctx)), enclosing));
        ctx.contentType = 'application/json';
      }
      const from = this.state(first);
      this.states.set(ctx, { frames: [], splits: new Map(from.splits), outFlow: from.outFlow, called: false });
      await this.goOn(ctx, a.frames, async () => {
        if (m.onCompleteKey) await this.runSequence(this.sequence(m.onCompleteKey, m), ctx);
        else await this.runMediators(m.onComplete, ctx, 'onComplete');
      });
    } finally {
      a.finish();
    }
  }

  /** Every message of the group has ended: an aggregation still waiting for more (and no timeout) never completes. */
  private giveUpIncomplete(group: SplitGroup): void {
    for (const a of group.aggregations.values()) {
      if (a.completed || a.timer) continue;
      a.completed = true;
      this.logger.log('warn', `${a.mediator.file}:${a.mediator.line}: aggregate got ${a.messages.length} of ${group.total} messages and cannot complete (no completeCondition timeout); the aggregation is dropped`);
      a.finish();
    }
  }

  private async runConnector(m: ConnectorOperationMediator, ctx: MessageContext): Promise<void> {
    // A connector operation is a (non-blocking) call in MI: a split message goes on past its iterate after it.
    if (m.operation !== 'init') this.state(ctx).called = true;
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
      const signal = ctx.abortSource();
      result = await conn.invoke(m.operation, params, { context: ctx, overwriteBody, [PARSE_ON_READ]: true, ...(signal ? { signal } : {}) });
    } catch (err) {
      // WSO2 status semantics: ServiceNow's 4xx/5xx answer is a response (HTTP_SC + its error body), not a fault,
      // unless this call opts in to faults. Transport failures and bad input stay faults.
      if (isConnectorError(err) && err.response && !faultOnErrorStatusOf(m, ctx)) {
        answerWithErrorStatus(m, ctx, err, overwriteBody);
        return;
      }
      throw err;
    }
    // invoke() has written the payload into ctx. The response text goes along while the payload is the only holder
    // of the parsed object (no variable shares it), so an answer that forwards it unchanged sends these bytes instead
    // of serializing them again.
    const text = overwriteBody && !m.responseVariable ? receivedTextOf(result) : undefined;
    if (text !== undefined) {
      const answer = result;
      ctx.setPayloadAsReceived(() => answer.payload, text);
    }
    if (m.responseVariable) {
      ctx.variables.set(m.responseVariable, { payload: result.payload, attributes: { statusCode: result.status }, headers: result.headers });
    }
  }

  private runPayloadFactory(m: PayloadFactoryMediator, ctx: MessageContext): void {
    const args = m.args.map((a) => evaluateSource(a.source, ctx));
    const compiled = compilePayloadFormat(m.format, m.mediaType, m.args.length);
    const filled = renderPayload(compiled, args, ctx, m.args);
    if (m.mediaType === 'xml') {
      // Checked now: a filled format that is not one well-formed element faults here, naming the mediator.
      // A format whose root is a SOAP envelope becomes the message's envelope (text/xml or application/soap+xml).
      let envelope: XmlMessage | undefined;
      try {
        envelope = payloadKind(ctx) === 'xml' ? xmlMessage(ctx) : undefined;
      } catch {
        envelope = undefined;
      }
      try {
        const made = setXmlPayload(ctx, filled as string);
        // As in MI, the format replaces what the body holds: a SOAP message stays a SOAP message (its header kept).
        if (!made.soap && envelope?.soap) setXmlPayload(ctx, envelopeText(envelope.soap, filled as string, envelope.header));
      } catch (err) {
        throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: payloadFactory: the filled format is not one well-formed XML element: ${(err as Error).message}` });
      }
      if (!isXmlType(ctx.contentType) || ctx.contentType === 'application/json') ctx.contentType = 'application/xml';
      return;
    }
    ctx.payload = filled as JsonValue;
    ctx.contentType = m.mediaType === 'json' ? 'application/json' : 'text/plain';
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
      // The iteration runs inside the parent's place in the flow (nesting limit, splits inside it).
      const parent = this.state(ctx);
      this.states.set(iteration, { frames: [...parent.frames], splits: parent.splits, outFlow: parent.outFlow, called: false });
      if (m.counterVariable) iteration.variables.set(m.counterVariable, index);
      index++;
      try {
        if (body) await this.runSequence(body, iteration);
        else await this.runMediators(m.body, iteration, sequence);
      } catch (err) {
        // <drop/> inside an iteration drops that item only, as with Synapse's cloned messages.
        if (err instanceof FlowStop && err.reason === 'drop') continue;
        // <respond/> inside an iteration answers with the message as it stands (as before split messages existed).
        if (err instanceof FlowStop && err.context === iteration) throw new FlowStop('respond', ctx);
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

function removeFrame(frames: Frame[], frame: Frame): void {
  const i = frames.lastIndexOf(frame);
  if (i >= 0) frames.splice(i, 1);
}

async function sequentially(runs: readonly (() => Promise<void>)[]): Promise<void> {
  for (const run of runs) await run();
}

/** Runs at most `limit` at once; every run is started eventually and all are awaited. */
async function inParallel(runs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < runs.length) await runs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, runs.length) }, worker));
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
