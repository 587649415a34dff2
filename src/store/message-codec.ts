// A MessageContext becomes a StoredMessage (a deep copy: later changes to the context do not reach the store) and back.
import { randomUUID } from 'node:crypto';
import { MessageContext, type JsonValue } from '../context/index.js';
import { isSecretKey } from '../logger.js';
import type { StoredMessage } from './types.js';

/** Copies the payload, message and axis2 properties and transport headers of a context. */
export function toStoredMessage(ctx: MessageContext): StoredMessage {
  return {
    id: randomUUID(),
    payload: ctx.payload === undefined ? undefined : jsonCopy(ctx.payload),
    contentType: ctx.contentType,
    properties: jsonProperties(ctx.properties('default')),
    axis2: jsonProperties(ctx.properties('axis2')),
    headers: Object.fromEntries([...ctx.transportHeaders()].filter(([name]) => !isSecretKey(name))),
    storedAt: Date.now(),
  };
}

/** A fresh context holding the stored copy. */
export function toMessageContext(message: StoredMessage): MessageContext {
  const ctx = new MessageContext({ headers: message.headers });
  ctx.payload = message.payload === undefined ? undefined : (structuredClone(message.payload) as JsonValue);
  ctx.contentType = message.contentType;
  for (const [k, v] of Object.entries(message.properties)) ctx.setProperty(k, structuredClone(v));
  for (const [k, v] of Object.entries(message.axis2)) ctx.setProperty(k, structuredClone(v), 'axis2');
  return ctx;
}

/**
 * Only values that survive JSON are stored: connections, streams and functions are this process's own. Secrets
 * (password, client_secret, tokens...) are never written to a store; the flow that forwards the message gets
 * them again from where they came (the server's --property values, its own init).
 */
function jsonProperties(props: ReadonlyMap<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of props) {
    if (isSecretKey(k)) continue;
    const copy = jsonValueOf(v);
    if (copy !== undefined) out[k] = copy;
  }
  return out;
}

function jsonValueOf(v: unknown): JsonValue | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) {
    const items = v.map(jsonValueOf);
    return items.every((i) => i !== undefined) ? (items as JsonValue[]) : undefined;
  }
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
      const copy = jsonValueOf(inner);
      if (copy === undefined) return undefined;
      out[k] = copy;
    }
    return out;
  }
  return undefined;
}

function jsonCopy(v: JsonValue): JsonValue {
  return structuredClone(v);
}

/** The wire form used by every backend that keeps bytes (disk, RabbitMQ, PostgreSQL). */
export function encodeMessage(message: StoredMessage): string {
  return JSON.stringify(message);
}

export const ENVELOPE_CONTENT_TYPE = 'application/vnd.snconnect.message+json';

/**
 * Reads what encodeMessage wrote. A body that is not our envelope (a message another system published to the
 * same queue) becomes a message whose payload is that body, so such queues can be consumed too.
 */
export function decodeMessage(text: string, fallback: { id: string; contentType?: string; headers?: Record<string, string> }): StoredMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { id: fallback.id, payload: text, contentType: fallback.contentType ?? 'text/plain', properties: {}, axis2: {}, headers: fallback.headers ?? {}, storedAt: Date.now() };
  }
  if (isEnvelope(parsed)) return parsed;
  return {
    id: fallback.id,
    payload: parsed as JsonValue,
    contentType: fallback.contentType ?? 'application/json',
    properties: {},
    axis2: {},
    headers: fallback.headers ?? {},
    storedAt: Date.now(),
  };
}

function isEnvelope(v: unknown): v is StoredMessage {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.id === 'string' && typeof o.contentType === 'string' && typeof o.storedAt === 'number' && typeof o.properties === 'object' && typeof o.headers === 'object' && typeof o.axis2 === 'object';
}
