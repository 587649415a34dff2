// <enrich>: the common JSON moves between body, properties, variables, inline JSON and a path in the payload;
// XML sources and targets (XPath) are enrich-xml.ts's.
import { ConnectorError } from '../../errors.js';
import { evaluateNode, PathWriteError, writeAtPath, type JsonValue, type MessageContext } from '../../context/index.js';
import type { EnrichMediator } from '../model.js';
import { isXmlEnrich, runXmlEnrich } from './enrich-xml.js';

export function runEnrich(m: EnrichMediator, ctx: MessageContext): void {
  if (isXmlEnrich(m, ctx)) {
    runXmlEnrich(m, ctx);
    return;
  }
  let value = sourceValue(m, ctx);
  if (m.source.clone && value !== null && typeof value === 'object') value = structuredClone(value);
  const { target } = m;
  switch (target.type) {
    case 'body':
      ctx.payload = combine(ctx.payload, value, target.action, m) as JsonValue;
      if (value !== null && typeof value === 'object') ctx.contentType = 'application/json';
      return;
    case 'property':
      ctx.setProperty(target.property!, combine(ctx.getProperty(target.property!), value, target.action, m));
      return;
    case 'variable':
      ctx.variables.set(target.property!, combine(ctx.variables.get(target.property!), value, target.action, m));
      return;
    case 'custom':
      setAtPath(ctx, m, value);
      return;
  }
}

function sourceValue(m: EnrichMediator, ctx: MessageContext): unknown {
  const { source } = m;
  switch (source.type) {
    case 'body':
      return ctx.payload;
    case 'property':
      return ctx.getProperty(source.property!);
    case 'variable':
      return ctx.variables.get(source.property!);
    case 'custom':
      return evaluateNode(source.expression!, ctx);
    case 'inline':
      try {
        return JSON.parse(source.inline ?? '');
      } catch {
        return source.inline ?? '';
      }
  }
}

/** replace: the value; child: appended to an array or merged into an object; sibling: placed beside it in an array. */
function combine(current: unknown, value: unknown, action: EnrichMediator['target']['action'], m: EnrichMediator): unknown {
  if (action === 'replace') return value;
  if (action === 'child') {
    // A property that does not exist yet takes the value (Synapse does so for a property target; the MI docs' call
    // example stores a response this way).
    if (current === undefined) return value;
    if (Array.isArray(current)) return [...current, value];
    if (isObject(current) && isObject(value)) return { ...current, ...value };
    throw enrichError(m, 'action="child" needs an array, or an object to merge an object into');
  }
  if (current === undefined) return [value];
  return Array.isArray(current) ? [...current, value] : [current, value];
}

function setAtPath(ctx: MessageContext, m: EnrichMediator, value: unknown): void {
  const path = m.target.path!;
  if (path.kind === 'payload') {
    ctx.payload = combine(ctx.payload, value, m.target.action, m) as JsonValue;
    return;
  }
  if (path.kind !== 'path') throw enrichError(m, 'the target must be a path into the payload');
  const steps = path.steps;
  if (ctx.payload === undefined || ctx.payload === null || typeof ctx.payload !== 'object') {
    if (typeof steps[0] === 'object' && steps[0].type === 'key') ctx.payload = {};
    else throw enrichError(m, `the payload is not a JSON object or array, so '${m.target.pathText}' cannot be set`);
  }
  try {
    writeAtPath(ctx.payload as object, steps, (current) => combine(current, value, m.target.action, m), `${m.file}:${m.line}: enrich target '${m.target.pathText}'`);
  } catch (err) {
    if (!(err instanceof PathWriteError)) throw err;
    if (err.reason === 'missing') throw enrichError(m, `'${m.target.pathText}' does not exist in the payload`);
    if (err.reason === 'index-out-of-range') throw enrichError(m, `'${m.target.pathText}' is past the end of the array`);
    throw enrichError(m, `'${m.target.pathText}' does not point into a JSON object or array`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function enrichError(m: EnrichMediator, message: string): ConnectorError {
  return new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: enrich: ${message}` });
}
