// A served request as a MessageContext, the way WSO2 MI presents it to a flow: a JSON body as the payload (an XML
// body checked and kept as its text, parsed once for XPath; form and text bodies kept as text), transport headers, `uri.var.*` and `query.param.*` properties, and the
// axis2 properties HTTP_METHOD, REST_URL_POSTFIX, REST_FULL_REQUEST_PATH, REST_API_CONTEXT.
import type { IncomingMessage } from 'node:http';
import { isXmlType, MessageContext, setXmlPayload, type JsonValue } from '../context/index.js';
import type { RouteMatch } from './router.js';

export class RequestError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const NO_BODY = Buffer.alloc(0);

/** Reads the body up to `maxBytes`; a longer one (declared or sent) is a 413 before it is all read. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new RequestError(413, `the request body (${declared} bytes) is larger than the limit of ${maxBytes} bytes`);
  // No Content-Length and no Transfer-Encoding: HTTP/1.1 says there is no body (a GET's usual case); node drains
  // the empty stream itself when the answer ends.
  if (req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] === undefined || declared === 0)) return NO_BODY;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new RequestError(413, `the request body is larger than the limit of ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

export function requestContext(req: IncomingMessage, body: Buffer, route: RouteMatch): MessageContext {
  const ctx = new MessageContext();
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (body.length > 0) {
    const text = body.toString('utf8');
    if (isJson(type) || (type === '' && /^\s*[[{]/.test(text))) {
      try {
        ctx.payload = JSON.parse(text) as JsonValue;
      } catch (err) {
        throw new RequestError(400, `the request body is not valid JSON (${(err as Error).message})`);
      }
      ctx.contentType = 'application/json';
    } else if (isXmlType(type)) {
      // Parsed now (and kept for XPath): a body that is not well-formed XML, has a DOCTYPE or nests too deep is a 400.
      try {
        setXmlPayload(ctx, text, type);
      } catch (err) {
        throw new RequestError(400, `the request body is not acceptable XML (${(err as Error).message})`);
      }
    } else {
      ctx.payload = text;
      ctx.contentType = type || 'text/plain';
    }
  } else if (type) ctx.contentType = type;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) ctx.setHeader(name, Array.isArray(value) ? value.join(', ') : value);
  }
  for (const [name, value] of Object.entries(route.uriVars)) ctx.setProperty(`uri.var.${name}`, value);
  const q = route.postfix.indexOf('?');
  if (q >= 0) for (const [name, value] of new URLSearchParams(route.postfix.slice(q))) ctx.setProperty(`query.param.${name}`, value);
  // What Synapse's get-property('To') and get-property('Action') give: the address and the SOAP action asked for.
  ctx.setProperty('To', req.url ?? '/');
  const action = soapActionOf(req.headers['soapaction'], type === 'application/soap+xml' ? req.headers['content-type'] : undefined);
  if (action) ctx.setProperty('Action', action);
  const method = req.method ?? 'GET';
  ctx.setProperty('HTTP_METHOD', method, 'axis2');
  ctx.setProperty('REST_URL_POSTFIX', route.postfix, 'axis2');
  ctx.setProperty('REST_FULL_REQUEST_PATH', req.url ?? '/', 'axis2');
  ctx.setProperty('REST_API_CONTEXT', route.context);
  ctx.setProperty('SYNAPSE_REST_API', route.name);
  ctx.setProperty('REST_METHOD', method);
  ctx.setProperty('TRANSPORT_IN_NAME', 'http');
  return ctx;
}

/** SOAP 1.1's SOAPAction header (quotes removed), or SOAP 1.2's action parameter of the content type. */
function soapActionOf(header: string | string[] | undefined, soap12ContentType: string | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw !== undefined && raw.trim() !== '') return raw.trim().replace(/^"(.*)"$/, '$1');
  const param = soap12ContentType ? /;\s*action\s*=\s*"?([^";]*)"?/i.exec(soap12ContentType) : null;
  return param?.[1] || undefined;
}
