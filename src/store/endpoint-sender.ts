// Forwarding to an <endpoint> (address or http uri-template): the stored payload is sent with the stored
// transport headers' content type, and the answer becomes the payload, as WSO2's processor does. HTTP method
// is POST unless the message says otherwise (HTTP_METHOD in the axis2 scope).
import type { MessageContext } from '../context/index.js';
import type { EndpointSender } from './processor-types.js';

/** Headers that describe one hop's connection, not the message. */
const HOP_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'authorization', 'cookie']);

export function addressEndpointSender(endpoints: ReadonlyMap<string, { address?: string }>, timeoutMs = 60_000): EndpointSender {
  return {
    has: (name) => endpoints.get(name)?.address !== undefined,
    async send(name: string, ctx: MessageContext): Promise<number> {
      const address = endpoints.get(name)!.address!;
      const method = String(ctx.getProperty('HTTP_METHOD', 'axis2') ?? 'POST').toUpperCase();
      const headers: Record<string, string> = {};
      for (const [k, v] of ctx.transportHeaders()) if (!HOP_HEADERS.has(k)) headers[k] = v;
      headers['content-type'] = ctx.contentType;
      const payload = ctx.payload;
      const body = method === 'GET' || method === 'HEAD' || payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
      // undici's public entry, loaded when a store first forwards (it is large: see src/http/undici-modules.ts).
      const { request } = await import('undici');
      const res = await request(address, { method: method as 'POST', headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      const text = await res.body.text();
      const type = String(res.headers['content-type'] ?? '');
      try {
        ctx.payload = type.includes('json') && text ? JSON.parse(text) : text;
      } catch {
        ctx.payload = text;
      }
      ctx.setProperty('HTTP_SC', res.statusCode, 'axis2');
      return res.statusCode;
    },
  };
}
