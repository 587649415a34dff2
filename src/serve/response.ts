// Answers the client from the message context, as <respond/> does in WSO2: the status from HTTP_SC (axis2 scope,
// default 200), the content type from messageType / ContentType (else the payload's own), the transport headers
// the flow holds (minus hop-by-hop, request-only and credential headers), and the payload.
import type { ServerResponse } from 'node:http';
import { formatPayload, isJsonType, type MessageContext } from '../context/index.js';

/** Headers never copied from the message to the response: connection management, request-only, credentials. */
const NOT_FORWARDED = new Set([
  'host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'content-type', 'te', 'trailer', 'upgrade',
  'expect', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'accept', 'accept-encoding', 'accept-language', 'user-agent',
  'origin', 'referer', 'proxy-connection', 'x-forwarded-for', 'x-user-token', 'www-authenticate',
]);

export function statusOf(ctx: MessageContext, fallback: number): number {
  const raw = ctx.getProperty('HTTP_SC', 'axis2') ?? ctx.getProperty('HTTP_SC');
  const status = typeof raw === 'number' ? raw : Number(raw);
  return Number.isInteger(status) && status >= 100 && status <= 599 ? status : fallback;
}

export function writeContext(res: ServerResponse, ctx: MessageContext, status: number, headOnly: boolean): void {
  const explicit = ctx.getProperty('messageType', 'axis2') ?? ctx.getProperty('ContentType', 'axis2') ?? ctx.getProperty('ContentType');
  // A connector's JSON answer that nothing in the flow read or changed goes out as received (no second serialization).
  const received = ctx.payloadAsReceived();
  // Text received is always an object's or an array's (never a string payload): its type needs no read of the payload,
  // and reading it would parse what is about to be forwarded as it is.
  const stringPayload = received === undefined && typeof ctx.payload === 'string';
  const type = typeof explicit === 'string' && explicit !== '' ? explicit : stringPayload ? ctx.contentType : 'application/json';
  // Written in that type as MI's formatters do: messageType=application/json turns an XML payload into JSON, ...
  let body: string;
  try {
    body = received !== undefined && isJsonType(type) ? received : formatPayload(ctx, type);
  } catch {
    // A payload marked XML that does not parse (set as text by the flow): sent as it is rather than not at all.
    const payload = ctx.payload;
    body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of ctx.transportHeaders()) if (!NOT_FORWARDED.has(name)) headers[name] = value;
  if (body !== '') headers['content-type'] = type.includes('charset') || !type.startsWith('application/json') ? type : `${type}; charset=utf-8`;
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers);
  res.end(headOnly ? undefined : body);
}

export function writeJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}
