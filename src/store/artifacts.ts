// Reads <messageStore>, <messageProcessor> and <inboundEndpoint> elements with WSO2's element and parameter
// names. Problems are errors naming the file and line, before anything connects.
import { ConnectorError } from '../errors.js';
import { MessageContext, asText, evaluateExpression } from '../context/index.js';
import type { XmlElement } from '../mediation/index.js';
import type { MessageProcessorConfig } from './processor-types.js';
import type { MessageStoreConfig } from './types.js';

export interface InboundEndpointConfig {
  name: string;
  protocol: string;
  sequence: string;
  onError?: string;
  suspended: boolean;
  parameters: Record<string, string>;
  file?: string;
  line?: number;
}

/** Resolves `<parameter key="...">` (a local entry or registry resource) to its text. */
export type KeyResolver = (key: string) => string | undefined;

export function readMessageStore(el: XmlElement, file: string, resolveKey?: KeyResolver): MessageStoreConfig {
  const name = requiredAttribute(el, 'name', file);
  return { name, className: el.attributes.class, parameters: readParameters(el.children, file, `message store '${name}'`, resolveKey), file, line: el.line };
}

export function readMessageProcessor(el: XmlElement, file: string, resolveKey?: KeyResolver): MessageProcessorConfig {
  const name = requiredAttribute(el, 'name', file);
  return {
    name,
    className: requiredAttribute(el, 'class', file),
    messageStore: requiredAttribute(el, 'messageStore', file),
    targetEndpoint: el.attributes.targetEndpoint,
    parameters: readParameters(el.children, file, `message processor '${name}'`, resolveKey),
    file,
    line: el.line,
  };
}

export function readInboundEndpoint(el: XmlElement, file: string, resolveKey?: KeyResolver): InboundEndpointConfig {
  const name = requiredAttribute(el, 'name', file);
  const holder = el.children.find((c) => c.name === 'parameters');
  return {
    name,
    protocol: requiredAttribute(el, 'protocol', file),
    sequence: requiredAttribute(el, 'sequence', file),
    onError: el.attributes.onError,
    suspended: (el.attributes.suspend ?? 'false') === 'true',
    parameters: readParameters(holder ? holder.children : el.children, file, `inbound endpoint '${name}'`, resolveKey),
    file,
    line: el.line,
  };
}

function readParameters(children: readonly XmlElement[], file: string, owner: string, resolveKey?: KeyResolver): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of children) {
    if (p.name !== 'parameter') continue;
    const name = requiredAttribute(p, 'name', file);
    if (name in out) fail(file, p, `${owner}: the parameter '${name}' is given twice`);
    out[name] = parameterValue(p, name, file, owner, resolveKey);
  }
  return out;
}

function parameterValue(p: XmlElement, name: string, file: string, owner: string, resolveKey?: KeyResolver): string {
  const { key, expression, value } = p.attributes;
  if (key !== undefined) {
    const resolved = resolveKey?.(key);
    if (resolved === undefined) fail(file, p, `${owner}: the parameter '${name}' refers to key '${key}', which names no local entry`);
    return resolved;
  }
  if (expression !== undefined) {
    // Evaluated once at load, over an empty message (for values such as ${env.X}-style lookups the language offers).
    try {
      return asText(evaluateExpression(expression, new MessageContext()));
    } catch (err) {
      fail(file, p, `${owner}: the parameter '${name}' has an expression that cannot be evaluated: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return value ?? p.text.trim();
}

function requiredAttribute(el: XmlElement, attribute: string, file: string): string {
  const v = el.attributes[attribute];
  if (v === undefined || v.trim() === '') fail(file, el, `<${el.name}> needs the attribute ${attribute}="..."`);
  return v.trim();
}

function fail(file: string, el: { line: number }, message: string): never {
  throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `${file}:${el.line}: ${message}` });
}
