// The mediation engine's public face: parse a sequence file, check it, run it.
import { readFile } from 'node:fs/promises';
import { ConnectorError } from '../errors.js';
import { MessageContext } from '../context/index.js';
import type { Connector } from '../invoke/types.js';
import { quietLogger, type Logger } from '../logger.js';
import { FlowBuilder, type FlowIssue } from './build.js';
import { Engine } from './engine.js';
import type { Flow, MessageStoreSink } from './model.js';
import type { MediationObserver } from './observer.js';
import { FlowStop, HandledFault, asConnectorError, setErrorProperties } from './signals.js';
import type { ConnectionPool } from './connector-call.js';
import { validateFlow } from './validate.js';
import { parseXml } from './xml.js';
// Mediators registered through the extension point (extensions.ts), like <store>.
import './mediators/makefault.js';

export type { Flow, Mediator, MediatorRuntime, MessageStoreSink, SequenceDefinition, TemplateDefinition } from './model.js';
export { FlowBuilder, type FlowIssue } from './build.js';
export { registerMediator, setProcessMessageStores, type MediatorFactory, type MediatorBuildTools } from './extensions.js';
export { localPart, parseXml, prefixPart, serializeXml, type XmlElement } from './xml.js';
export { FlowStop, HandledFault } from './signals.js';
export { Engine } from './engine.js';
export { validateFlow } from './validate.js';
export { CONNECTION_PROPERTY, ConnectionPool } from './connector-call.js';
export { itemsOf, type ItemSource } from './items.js';
export type { MediationObserver, MediatorStep, MediatorEnd, FaultTaken } from './observer.js';

/** Parses sequence XML text. Structural problems and bad expressions come back as issues with their lines. */
export function parseFlow(text: string, file: string, connectorName = 'servicenow', options: FlowOptions = {}): { flow: Flow; issues: FlowIssue[] } {
  const builder = new FlowBuilder(file, connectorName, options.lenient ?? false);
  const flow = builder.build(parseXml(text, file));
  return { flow, issues: builder.issues };
}

/**
 * Parses and validates a flow against a connector; throws SEQUENCE_ERROR listing every error
 * (`file:line: message`) so that nothing runs when the file is wrong. Warnings are returned.
 */
export function prepareFlow(text: string, file: string, connector: Connector, options: FlowOptions = {}): { flow: Flow; warnings: FlowIssue[] } {
  const { flow, issues } = parseFlow(text, file, connector.name, options);
  return checkFlow(flow, issues, connector, options);
}

/**
 * Validates a built flow and throws SEQUENCE_ERROR listing every error; with `lenient`, errors are returned as
 * warnings instead (what cannot run faults when a message reaches it).
 */
export function checkFlow(flow: Flow, issues: readonly FlowIssue[], connector: Connector, options: FlowOptions = {}): { flow: Flow; warnings: FlowIssue[] } {
  const file = flow.file;
  const all = [...issues, ...validateFlow(flow, connector)].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  if (options.lenient) return { flow, warnings: all.map((i) => (i.severity === 'error' ? { ...i, severity: 'warning' as const, message: `${i.message} (loaded anyway: --lenient)` } : i)) };
  const errors = all.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new ConnectorError({
      code: 'SEQUENCE_ERROR',
      message: `${file}: ${errors.length} error(s):\n${formatIssues(errors)}`,
      detail: formatIssues(errors),
    });
  }
  return { flow, warnings: all.filter((i) => i.severity === 'warning') };
}

export interface FlowOptions {
  /** Load what can be loaded: a mediator that cannot be built becomes a placeholder that faults when reached. */
  lenient?: boolean;
}

export async function loadFlowFile(path: string, connector: Connector): Promise<{ flow: Flow; warnings: FlowIssue[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `cannot read sequence file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
  }
  return prepareFlow(text, path, connector);
}

export function formatIssues(issues: readonly FlowIssue[]): string {
  return issues.map((i) => `${i.file}:${i.line}: ${i.severity === 'warning' ? 'warning: ' : ''}${i.message}`).join('\n');
}

export interface RunOptions {
  connector: Connector;
  /** Sequence to run (default: `main`, else the first in the file). */
  sequence?: string;
  context?: MessageContext;
  logger?: Logger;
  /** Trace hook: told about every mediator and fault sequence as the flow runs (see observer.ts). */
  observer?: MediationObserver;
  /** Connections kept between runs (a server's); without one, the run opens its own and closes them at the end. */
  pool?: ConnectionPool;
  /** Where `<store>` puts messages; without it, the process's message stores (setProcessMessageStores). */
  messageStores?: MessageStoreSink;
  /** The outSequence of the proxy or resource being served: `<send>`'s answers and `<loopback/>` go there. */
  outSequence?: string;
}

export type FlowOutcome = 'completed' | 'responded' | 'dropped' | 'fault';

export interface RunResult {
  outcome: FlowOutcome;
  context: MessageContext;
  /** The fault that ended the flow (handled by a fault sequence or not). */
  error?: ConnectorError;
  /** The fault sequence ended the flow with <respond/> (answer the client with the context) or <drop/>. */
  faultStop?: 'drop' | 'respond';
}

/** Runs one sequence of the flow. Never throws for a fault inside the flow: the outcome says it. Connections are closed at the end. */
export async function runFlow(flow: Flow, options: RunOptions): Promise<RunResult> {
  const ctx = options.context ?? new MessageContext();
  const name = options.sequence ?? flow.defaultSequence;
  const seq = name === undefined ? undefined : flow.sequences.get(name);
  if (!seq) {
    const names = [...flow.sequences.keys()].join(', ') || 'none';
    throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${flow.file}: no sequence named '${name ?? ''}' (sequences: ${names})` });
  }
  const engine = new Engine(flow, options.connector, options.logger ?? quietLogger, options.observer, options.pool, options.messageStores);
  engine.outSequence = options.outSequence;
  let result: RunResult;
  try {
    await engine.runSequence(seq, ctx);
    result = { outcome: 'completed', context: ctx };
  } catch (err) {
    if (err instanceof FlowStop) {
      if (err.reason === 'respond') engine.reply(err.context ?? ctx);
      result = { outcome: err.reason === 'drop' ? 'dropped' : 'responded', context: err.context ?? ctx };
    } else if (err instanceof HandledFault) {
      if (err.stop === 'respond') engine.reply(err.context ?? ctx, err.error);
      result = { outcome: 'fault', context: err.context ?? ctx, error: err.error, ...(err.stop ? { faultStop: err.stop } : {}) };
    } else {
      const error = asConnectorError(err);
      setErrorProperties(ctx, error);
      result = { outcome: 'fault', context: ctx, error };
    }
  }
  try {
    // Split messages still running (continueParent), aggregation timeouts: the answer may come from them.
    await engine.family.settle();
    const reply = engine.family.reply;
    if (reply) return reply.fault ? { outcome: 'fault', context: reply.ctx, error: reply.fault, faultStop: 'respond' } : { outcome: 'responded', context: reply.ctx };
    // Nothing answered and a split message failed without a fault handler: that fault is the outcome.
    const fault = engine.family.fault;
    if (fault && result.outcome === 'dropped') return { outcome: 'fault', context: ctx, error: fault };
    return result;
  } finally {
    await engine.close();
  }
}
