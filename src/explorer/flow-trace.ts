// Runs a flow with a trace observer and returns the run as data for the explorer's step view: each mediator in
// order with its time, the properties it set, the payload before and after, the connector call it made and its
// status, and the fault sequences taken. Values are copied as JSON, capped in size, with secret-named keys masked.
import { performance } from 'node:perf_hooks';
import type { JsonValue, MessageContext } from '../context/index.js';
import type { ConnectorError } from '../errors.js';
import type { Connector } from '../invoke/types.js';
import { redact } from '../logger.js';
import { runFlow, type Flow, type MediationObserver, type Mediator } from '../mediation/index.js';
import type { FaultTrace, FlowTrace, TraceStep } from './api-types.js';

export type { ConnectorCallTrace, FaultTrace, FlowTrace, TraceStep } from './api-types.js';

/** Longest JSON text kept for one payload snapshot; a bigger payload is shown cut, with its full size. */
const SNAPSHOT_LIMIT = 20_000;

export interface TraceRunOptions {
  connector: Connector;
  context: MessageContext;
  sequence?: string;
}

export async function traceFlow(flow: Flow, options: TraceRunOptions): Promise<FlowTrace> {
  const tracer = new Tracer(options.connector.name);
  const started = performance.now();
  const result = await runFlow(flow, { connector: options.connector, context: options.context, observer: tracer, ...(options.sequence ? { sequence: options.sequence } : {}) });
  const trace: FlowTrace = {
    file: flow.file,
    sequence: options.sequence ?? flow.defaultSequence ?? '',
    outcome: result.outcome,
    durationMs: round(performance.now() - started),
    steps: tracer.steps,
    faults: tracer.faults,
    payload: snapshot(result.context.payload),
  };
  if (result.error) {
    const json = result.error.toJSON();
    trace.error = { code: json.code, message: json.message, ...(json.detail ? { detail: json.detail } : {}) };
  }
  return redact(trace);
}

interface OpenStep {
  step: TraceStep;
  t0: number;
  props: Map<string, string>;
}

class Tracer implements MediationObserver {
  readonly steps: TraceStep[] = [];
  readonly faults: FaultTrace[] = [];
  private readonly open: OpenStep[] = [];
  private readonly t0 = performance.now();
  /** Depth at which a fault sequence started; mediators at or below it belong to the fault path. */
  private faultDepths: number[] = [];

  constructor(private readonly connectorName: string) {}

  enter({ mediator, sequence, context }: { mediator: Mediator; sequence: string; context: MessageContext }): void {
    const now = performance.now();
    const depth = this.open.length;
    const step: TraceStep = {
      index: this.steps.length,
      depth,
      kind: mediator.kind,
      label: labelOf(mediator, this.connectorName),
      sequence,
      line: mediator.line,
      startMs: round(now - this.t0),
      durationMs: 0,
      outcome: 'ok',
      propertiesSet: {},
      propertiesRemoved: [],
      payloadBefore: snapshot(context.payload),
      payloadAfter: null,
      inFaultPath: this.faultDepths.length > 0,
    };
    this.steps.push(step);
    this.open.push({ step, t0: now, props: propertyTexts(context) });
  }

  leave({ context, error, stopped }: { context: MessageContext; error?: ConnectorError; stopped?: 'drop' | 'respond' | 'fault' }): void {
    const entry = this.open.pop();
    if (!entry) return;
    const { step } = entry;
    step.durationMs = round(performance.now() - entry.t0);
    step.payloadAfter = snapshot(context.payload);
    const after = propertyTexts(context);
    for (const [name, text] of after) if (entry.props.get(name) !== text) step.propertiesSet[name] = JSON.parse(text) as JsonValue;
    for (const name of entry.props.keys()) if (!after.has(name)) step.propertiesRemoved.push(name);
    if (error) {
      step.outcome = 'error';
      step.error = { code: error.code, message: error.message };
    } else if (stopped) step.outcome = stopped;
    if (step.kind === 'connector' && !step.label.endsWith('.init')) {
      const status = error?.status ?? context.getProperty('HTTP_SC', 'axis2');
      step.call = { operation: step.label.slice(step.label.indexOf('.') + 1) };
      if (typeof status === 'number') step.call.status = status;
      if (error) step.call.error = { code: error.code, message: error.message };
    }
    // A fault sequence ends when the mediator that was running when it started ends.
    while (this.faultDepths.length > 0 && this.faultDepths[this.faultDepths.length - 1]! > this.open.length) this.faultDepths.pop();
  }

  fault({ sequence, faultSequence, error }: { sequence: string; faultSequence: string; error: ConnectorError }): void {
    this.faults.push({ sequence, faultSequence, error: { code: error.code, message: error.message }, atStep: this.steps.length });
    this.faultDepths.push(this.open.length);
  }
}

function labelOf(m: Mediator, connectorName: string): string {
  switch (m.kind) {
    case 'connector':
      return m.element || `${connectorName}.${m.operation}`;
    case 'property':
    case 'variable':
      return `${m.kind} ${m.name}${m.action === 'remove' ? ' (remove)' : ''}`;
    case 'sequence':
      return `sequence ${m.key}`;
    case 'call-template':
      return `call-template ${m.target}`;
    default:
      return m.kind;
  }
}

/** Default-scope properties and variables as JSON text, to see which ones a mediator changed. */
function propertyTexts(ctx: MessageContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of ctx.properties()) out.set(name, jsonText(value));
  for (const [name, value] of ctx.variables) out.set(`vars.${name}`, jsonText(value));
  return out;
}

function jsonText(value: unknown): string {
  try {
    const text = JSON.stringify(value ?? null);
    if (text === undefined) return '"[unserialisable]"';
    return text.length > SNAPSHOT_LIMIT ? JSON.stringify(`[${text.length} characters]`) : text;
  } catch {
    return '"[unserialisable]"';
  }
}

function snapshot(value: unknown): JsonValue | null {
  if (value === undefined) return null;
  const text = jsonText(value);
  return JSON.parse(text) as JsonValue;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
