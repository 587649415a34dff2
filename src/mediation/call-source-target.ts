// `<call>` with `<source>` and `<target>` (MI 4.x): what goes out can be a property, an expression's result or
// inline content, in the content type the source names; the answer can go to a property, after which the flow has
// the message it had before the call (payload and content type) again. Without them a call sends the payload and
// its answer becomes the payload (engine.ts).
import {
  evaluateNode,
  isElementNode,
  isXmlType,
  jsonToXmlText,
  payloadElement,
  payloadKind,
  serializeNode,
  setXmlPayload,
  xmlToJson,
  type ExprNode,
  type JsonValue,
  type MessageContext,
  type Node,
} from '../context/index.js';
import { ConnectorError } from '../errors.js';
import type { Where } from './model.js';

export interface CallSource {
  type: 'custom' | 'inline' | 'property';
  /** custom: an XPath, json-eval or ${...} expression; its result is what is sent. */
  expression?: ExprNode;
  /** property: a property of the message (default scope) holding what is sent. */
  property?: string;
  /** inline: the content written inside <source>. */
  inline?: string;
  /** The content type the request goes out with (the message's own when absent). */
  contentType?: string;
}

export interface CallTarget {
  type: 'body' | 'property';
  /** property: where the answer is kept (XML as an element, JSON as its value, anything else as text). */
  property?: string;
}

/** Runs `send` with the source as the outgoing message and puts the answer where the target says. */
export async function callWithSourceAndTarget(source: CallSource | undefined, target: CallTarget | undefined, ctx: MessageContext, at: Where, send: () => Promise<void>): Promise<void> {
  const before = { payload: ctx.payload, contentType: ctx.contentType };
  if (source) setOutgoing(ctx, sourceValue(source, ctx, at), source.contentType ?? ctx.contentType);
  await send();
  if (target?.type !== 'property') return;
  ctx.setProperty(target.property!, answerValue(ctx));
  ctx.payload = before.payload;
  ctx.contentType = before.contentType;
}

function sourceValue(source: CallSource, ctx: MessageContext, at: Where): unknown {
  switch (source.type) {
    case 'property': {
      const value = ctx.getProperty(source.property!);
      if (value === undefined) throw sourceError(at, `the property '${source.property}' is not set`);
      return value;
    }
    case 'custom': {
      const expr = source.expression!;
      if (expr.kind === 'xpath') {
        const nodes = expr.xpath.nodes(ctx);
        if (nodes.length === 0) throw sourceError(at, `'${expr.xpath.source}' selects nothing`);
        return nodes.length === 1 ? nodes[0] : nodes;
      }
      return evaluateNode(expr, ctx);
    }
    case 'inline':
      return source.inline ?? '';
  }
}

/** Makes `value` the payload in `contentType`: XML content is sent as XML, JSON values under MI's JSON->XML mapping. */
function setOutgoing(ctx: MessageContext, value: unknown, contentType: string): void {
  if (isXmlType(contentType)) {
    setXmlPayload(ctx, xmlText(value), contentType);
    return;
  }
  ctx.payload = jsonValue(value);
  ctx.contentType = contentType;
}

function xmlText(value: unknown): string {
  if (isElementNode(value)) return serializeNode(value);
  if (Array.isArray(value) && value.every(isElementNode)) return (value as Node[]).map(serializeNode).join('');
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('<')) return t;
    try {
      return jsonToXmlText(JSON.parse(t));
    } catch {
      return jsonToXmlText(value);
    }
  }
  return jsonToXmlText(value);
}

function jsonValue(value: unknown): JsonValue {
  if (isElementNode(value)) return xmlToJson(value) as JsonValue;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as JsonValue;
    } catch {
      return value;
    }
  }
  return (value ?? null) as JsonValue;
}

/** The answer as a property keeps it: XML as its root element (type OM), JSON as the value, text as text. */
function answerValue(ctx: MessageContext): unknown {
  const kind = payloadKind(ctx);
  if (kind === 'xml') return payloadElement(ctx) ?? ctx.payload;
  return ctx.payload;
}

function sourceError(at: Where, message: string): ConnectorError {
  return new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${at.file}:${at.line}: <call> <source>: ${message}` });
}
