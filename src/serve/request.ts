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
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new RequestError(413, `the request body (${declared} bytes) is larger than the limit of ${maxBytes} bytes`));
  // No Content-Length and no Transfer-Encoding: HTTP/1.1 says there is no body (a GET's usual case); node drains
  // the empty stream itself when the answer ends.
  if (req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] === undefined || declared === 0)) return Promise.resolve(NO_BODY);
  // Read with 'data'/'end' listeners rather than `for await`: a stream's async iterator (with its end-of-stream
  // watcher) cost about as much per request as the rest of the body handling (XML proxy bench, --cpu-prof).
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        // As leaving a `for await` loop does: the rest of the body is not read.
        req.destroy();
        reject(new RequestError(413, `the request body is larger than the limit of ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    // The client went away before the body ended ('end' never comes).
    const onClose = (): void => {
      done();
      reject(new Error('the client closed the connection before the request body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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
