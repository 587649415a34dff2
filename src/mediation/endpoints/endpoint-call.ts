// `<call>` / `<send>` to an endpoint: the message goes out over undici (one pooled, keep-alive Agent for every
// endpoint of the process), the answer comes back as the message. As in WSO2, any HTTP answer, 4xx/5xx included,
// is a response (HTTP_SC and the body are set and the flow goes on); only a call that got no answer is a fault,
// with Synapse's error codes in ERROR_CODE so that fault sequences written for MI keep working.
import type { Dispatcher } from 'undici';
import { Cancellation } from '../../cancellation.js';
import { ConnectorError } from '../../errors.js';
import { asText, contentTypeOfSoap, evaluateValue, formatPayload, isXmlType, payloadKind, setXmlPayload, xmlMessage, type JsonValue, type MessageContext, type SoapVersion } from '../../context/index.js';
import { readBytesLimited, sendRequest, undiciParts } from '../../http/index.js';
import { classifyNetworkError } from '../../http/network-failure.js';
import { redactText } from '../../redact.js';
import { quietLogger, type Logger } from '../../logger.js';
import type { EndpointDefinition, EndpointMethod } from './definition.js';
import { ENDPOINT_NOT_READY, notReadyFor, recordFailure, recordSuccess } from './suspension.js';

/** WSO2 MI's default endpoint timeout (synapse.global_timeout_interval is 120 s; the http transport's socket timeout 60 s). */
const DEFAULT_TIMEOUT_MS = 60_000;
/** A back end's answer is read whole; a larger one is a fault rather than a process out of memory. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Not forwarded from the message's transport headers: they describe the incoming connection, not this request. */
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'content-type', 'accept-encoding', 'proxy-authorization', 'expect']);
const WITHOUT_BODY = new Set<EndpointMethod>(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** Synapse's transport error codes (org.apache.synapse.transport.passthru.util.TargetErrorCodes ...). */
export const SYNAPSE_ERROR = {
  sendingFailed: '101500',
  connectionFailed: '101503',
  timeout: '101504',
  connectionClosed: '101505',
  connectTimeout: '101508',
} as const;

/** A call to an endpoint that got no answer: a ConnectorError that also carries Synapse's numeric ERROR_CODE. */
export class EndpointError extends ConnectorError {
  constructor(
    readonly synapseCode: string,
    init: ConstructorParameters<typeof ConnectorError>[0],
  ) {
    super(init);
  }
}

let agent: Dispatcher | undefined;

/** The abort reason of a call that ran out of time (told apart from the client going away by identity). */
const TIMED_OUT = new Error('the endpoint did not answer within the timeout');

/** The timeout timer's callback (shared: no closure per call). */
function abortAt(call: Cancellation, reason: unknown): void {
  call.abort(reason);
}

/** One keep-alive pool for every endpoint of the process; sockets are reused across messages and flows. */
function endpointAgent(): Dispatcher {
  agent ??= new (undiciParts().Agent)({ connections: 64, connect: { timeout: 10_000 }, keepAliveTimeout: 30_000 });
  return agent;
}

/** Closes the endpoints' sockets (a server that stops, the end of a test file). */
export async function closeEndpointConnections(): Promise<void> {
  const current = agent;
  agent = undefined;
  await current?.close();
}

/** `{uri.var.id}` (or any property name) replaced by the property's value, percent-encoded as one path segment. */
export function expandUriTemplate(template: string, ctx: MessageContext): string {
  return template.replace(/\{([+]?)([A-Za-z_][\w.-]*)\}/g, (_all, plus: string, name: string, offset: number) => {
    const value = ctx.getProperty(name);
    const text = value === undefined || value === null ? '' : asText(value as JsonValue);
    // `{+name}` (RFC 6570 reserved expansion) inserts the value as it is, slashes and all; so does a placeholder
    // that starts the template, which holds the base URL (Synapse reads `uri-template="{uri.var.url}"` that way).
    return plus === '+' || offset === 0 ? encodeURI(text) : encodeURIComponent(text);
  });
}

/** The URL without user:password@ and with secret-looking query values masked, for messages and logs. */
function shownUrl(url: string): string {
  return redactText(url.replace(/^(https?:\/\/)[^/@]*@/i, '$1'));
}

function methodOf(ep: EndpointDefinition, ctx: MessageContext): EndpointMethod {
  if (ep.method) return ep.method;
  const fromMessage = String(ctx.getProperty('HTTP_METHOD', 'axis2') ?? '').toUpperCase();
  return (['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(fromMessage) ? fromMessage : 'POST') as EndpointMethod;
}

interface OutgoingBody {
  body: string;
  contentType: string;
  /** Set when the body is a SOAP envelope of that version. */
  soap?: SoapVersion;
}

/**
 * The payload as the request body, converted as MI's formatters do: in the endpoint's format (soap11, soap12, pox,
 * json) when it has one, else in the message's messageType (axis2) when the flow set one, else in its own type.
 */
function bodyOf(ep: EndpointDefinition, ctx: MessageContext): OutgoingBody | undefined {
  if (ctx.payload === undefined) return undefined;
  const explicit = ctx.getProperty('messageType', 'axis2') ?? ctx.getProperty('ContentType', 'axis2');
  let type: string;
  let soap: SoapVersion | undefined;
  if (ep.format === 'soap11' || ep.format === 'soap12') {
    soap = ep.format === 'soap11' ? '1.1' : '1.2';
    type = contentTypeOfSoap(soap);
  } else if (ep.format === 'pox') type = 'application/xml';
  else if (ep.format === 'json') type = 'application/json';
  else if (typeof explicit === 'string' && explicit !== '') type = explicit;
  else type = typeof ctx.payload === 'string' && !/json/i.test(ctx.contentType) ? ctx.contentType || 'text/plain' : 'application/json';
  const base = type.split(';')[0]!.trim().toLowerCase();
  if (!soap && base === 'application/soap+xml') soap = '1.2';
  if (!soap && base === 'text/xml') soap = payloadKind(ctx) === 'xml' && xmlMessage(ctx).soap === '1.2' ? '1.2' : '1.1';
  return { body: formatPayload(ctx, type, soap), contentType: soap ? contentTypeOfSoap(soap) : type, ...(soap ? { soap } : {}) };
}

/** SOAP's action: the SOAPAction header (1.1) or the action parameter of the content type (1.2), from `<header name="Action">`. */
function addSoapAction(outgoing: OutgoingBody, headers: Record<string, string>, ctx: MessageContext): void {
  const action = ctx.getProperty('Action');
  const text = action === undefined || action === null ? undefined : asText(action as JsonValue);
  if (outgoing.soap === '1.1') {
    headers['content-type'] = 'text/xml; charset=UTF-8';
    if (text !== undefined || headers.soapaction === undefined) headers.soapaction = `"${(text ?? '').replace(/"/g, '')}"`;
  } else {
    delete headers.soapaction;
    headers['content-type'] = `application/soap+xml; charset=UTF-8${text ? `; action="${text.replace(/"/g, '')}"` : ''}`;
  }
}

function headersOf(ctx: MessageContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of ctx.transportHeaders()) if (!HOP_BY_HOP.has(name) && value !== '') out[name] = value;
  return out;
}

/**
 * Sends the message to the endpoint and makes the answer the message: payload (JSON parsed when it says it is
 * JSON, other bodies as text), HTTP_SC (axis2), the response headers as the transport headers. `discarded`: the call
 * timed out on an endpoint whose responseAction is discard (the message is to be dropped, no fault sequence runs).
 */
export async function callEndpoint(ep: EndpointDefinition, ctx: MessageContext, logger: Logger): Promise<'answered' | 'discarded'> {
  const wait = notReadyFor(ep);
  if (wait > 0) {
    throw new EndpointError(ENDPOINT_NOT_READY, { code: 'CONNECTION_ERROR', message: `endpoint '${ep.name}' is suspended after failures; it is tried again in ${wait} ms`, retryable: true });
  }
  try {
    await send(ep, ctx, logger);
    recordSuccess(ep);
    return 'answered';
  } catch (err) {
    if (err instanceof EndpointError) {
      const state = recordFailure(ep, err.synapseCode);
      if (state !== 'unchanged') logger.log('warn', `endpoint '${ep.name}' ${state === 'suspended' ? 'suspended' : 'marked for suspension'} after failure ${err.synapseCode}`);
      if (ep.discardOnTimeout && err.synapseCode === SYNAPSE_ERROR.timeout) {
        logger.log('warn', `${err.message}; the message is discarded (responseAction discard)`);
        return 'discarded';
      }
    }
    throw err;
  }
}

/** The call's timeout: the dynamic `{expression}` evaluated now, else the fixed duration, else 60 s. */
function timeoutOf(ep: EndpointDefinition, ctx: MessageContext): number {
  if (ep.timeoutExpression === undefined) return ep.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const value = evaluateValue(ep.timeoutExpression, ctx);
  const ms = typeof value === 'number' ? value : Number(asText((value ?? '') as JsonValue).trim());
  if (!Number.isInteger(ms) || ms <= 0 || ms > 3_600_000) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `endpoint '${ep.name}': <duration> ${ep.timeoutExpression} gave '${String(value)}', not a whole number of milliseconds from 1 to 3600000` });
  }
  return ms;
}

async function send(ep: EndpointDefinition, ctx: MessageContext, logger: Logger): Promise<void> {
  const url = expandUriTemplate(ep.uriTemplate, ctx);
  if (!/^https?:\/\/[^/?#]/i.test(url)) {
    throw new EndpointError(SYNAPSE_ERROR.sendingFailed, {
      code: 'INVALID_PARAMETER',
      message: `endpoint '${ep.name}': the address '${ep.uriTemplate}' gave '${shownUrl(url)}', which is not an http:// or https:// URL (is the property it names set?)`,
    });
  }
  const method = methodOf(ep, ctx);
  const outgoing = WITHOUT_BODY.has(method) ? undefined : bodyOf(ep, ctx);
  const headers = headersOf(ctx);
  if (outgoing) headers['content-type'] = outgoing.contentType;
  if (outgoing?.soap) addSoapAction(outgoing, headers, ctx);
  const timeoutMs = timeoutOf(ep, ctx);
  // Built when a message needs it: redacting the URL is a few regular expressions per call.
  const where = (): string => `endpoint '${ep.name}' (${method} ${shownUrl(url)})`;
  // One cheap Cancellation (src/cancellation.ts) for the timeout and the message's own cancellation (a served
  // request whose client left), rather than an AbortController, the message's AbortSignal and AbortSignal.any of the
  // two: those cost tens of microseconds per call (the XML proxy bench's profile showed them).
  const call = new Cancellation();
  const timeout = setTimeout(abortAt, timeoutMs, call, TIMED_OUT);
  const source = ctx.abortSource();
  const detach = source ? call.follow(source) : undefined;
  if (logger !== quietLogger) logger.log('debug', `calling ${where()}`);
  try {
    const origin = new URL(url).origin;
    const res = await sendRequest(endpointAgent(), {
      origin,
      path: url.slice(origin.length) || '/',
      method,
      headers,
      ...(outgoing ? { body: outgoing.body } : {}),
      // undici takes any EventEmitter with `aborted` and `reason` as a signal.
      signal: call as unknown as AbortSignal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const length = res.headers['content-length'];
    const bytes = await readBytesLimited(res.body, MAX_RESPONSE_BYTES, typeof length === 'string' ? length : undefined);
    if (bytes === undefined) {
      throw new EndpointError(SYNAPSE_ERROR.sendingFailed, { code: 'CONNECTION_ERROR', message: `${where()}: the response is larger than ${MAX_RESPONSE_BYTES} bytes and was not read` });
    }
    setResponse(ctx, res.statusCode, res.headers, bytes.toString('utf8'));
  } catch (err) {
    if (err instanceof EndpointError) throw err;
    if (call.aborted && call.reason === TIMED_OUT) {
      throw new EndpointError(SYNAPSE_ERROR.timeout, { code: 'TIMEOUT', message: `${where()}: no response within ${timeoutMs} ms`, retryable: true, cause: err });
    }
    if (call.aborted) throw new EndpointError(SYNAPSE_ERROR.sendingFailed, { code: 'CONNECTION_ERROR', message: `${where()}: cancelled (the client went away)`, cause: err });
    const failure = classifyNetworkError(err);
    const code = failure.reason === 'connect timeout' ? SYNAPSE_ERROR.connectTimeout
      : failure.code === 'TIMEOUT' ? SYNAPSE_ERROR.timeout
      : !failure.mayHaveReachedServer ? SYNAPSE_ERROR.connectionFailed
      : failure.reason.startsWith('connection closed') ? SYNAPSE_ERROR.connectionClosed
      : SYNAPSE_ERROR.sendingFailed;
    throw new EndpointError(code, { code: failure.code, message: `${where()}: ${failure.reason}`, retryable: failure.retryable, cause: err });
  } finally {
    clearTimeout(timeout);
    detach?.();
  }
}

function setResponse(ctx: MessageContext, status: number, headers: Dispatcher.ResponseData['headers'], text: string): void {
  for (const name of [...ctx.transportHeaders().keys()]) ctx.removeHeader(name);
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive') {
      ctx.setHeader(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }
  const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : 'text/plain';
  ctx.setProperty('HTTP_SC', status, 'axis2');
  ctx.contentType = contentType;
  if (isXmlType(contentType) && text.trim() !== '') {
    // An XML answer (a SOAP envelope, a SOAP fault, POX) is parsed now for XPath; one that does not parse (or is
    // refused: a DOCTYPE, too deep) stays text, as a JSON answer that does not parse does.
    try {
      setXmlPayload(ctx, text, contentType);
      return;
    } catch {
      ctx.contentType = 'text/plain';
    }
  }
  if (/[/+]json\b/i.test(contentType) && text.trim() !== '') {
    try {
      ctx.payload = JSON.parse(text) as JsonValue;
      return;
    } catch {
      // A body that claims JSON but is not: kept as text, as a non-JSON body is.
      ctx.contentType = 'text/plain';
    }
  }
  ctx.payload = text;
}
