// Turns the transport's raw response into the invocation result, or into a typed error that keeps
// ServiceNow's own error message and detail.
import type { CompiledOperation } from '../catalogue/index.js';
import type { JsonValue } from '../context/index.js';
import { ConnectorError, type ErrorCode } from '../errors.js';
import { isJson, opensContainer, opensWithMember, type IncomingResponse } from '../http/index.js';
import { redactText } from '../logger.js';
import { DeferredPayloadResult } from './deferred-payload.js';
import type { InvokeResult } from './types.js';

/** `parseOnRead`: the payload may be parsed on first read (DeferredPayloadResult), for the mediation engine. */
export function mapResponse(op: CompiledOperation, res: IncomingResponse, parseOnRead = false): InvokeResult {
  if (res.status >= 200 && res.status < 300) return success(op, res, parseOnRead);
  throw statusError(op.descriptor.name, res);
}

function success(op: CompiledOperation, res: IncomingResponse, parseOnRead: boolean): InvokeResult {
  const name = op.descriptor.name;
  const required = op.descriptor.response.require;
  // A JSON answer the transport has not parsed, that opens as the operation expects, is parsed when first read.
  if (parseOnRead && res.json === undefined && res.body !== '' && isJson(res.headers['content-type']) && (required === undefined ? opensContainer(res.body) : opensWithMember(res.body, required))) {
    return new DeferredPayloadResult(res.status, res.headers, res.body, () => parsePayload(name, res));
  }
  // The transport may have parsed the body already (to spot truncated 200s); do not parse it twice.
  const payload = res.json !== undefined ? (res.json as JsonValue) : res.body !== '' ? parsePayload(name, res) : undefined;
  if (required !== undefined && (payload === null || typeof payload !== 'object' || Array.isArray(payload) || !(required in payload))) {
    throw new ConnectorError({
      code: 'SERVICENOW_ERROR',
      operation: name,
      status: res.status,
      retryable: true,
      message: `${name}: ServiceNow answered ${res.status} without '${required}' in the body`,
      detail: snippet(res.body),
    });
  }
  const result: InvokeResult = { status: res.status, payload, headers: res.headers };
  if (payload !== null && typeof payload === 'object') received.set(result, res.body);
  return result;
}

function parsePayload(name: string, res: IncomingResponse): JsonValue {
  try {
    return JSON.parse(res.body) as JsonValue;
  } catch {
    // ServiceNow cancels long transactions by truncating a 200 body; repeating the call may succeed.
    throw new ConnectorError({
      code: 'SERVICENOW_ERROR',
      operation: name,
      status: res.status,
      retryable: true,
      message: `${name}: ServiceNow answered ${res.status} with a body that is not JSON (truncated or cancelled transaction?)`,
      detail: snippet(res.body),
    });
  }
}

/** The body text each plain successful result's payload was parsed from (weak: it goes with the result). */
const received = new WeakMap<InvokeResult, string>();

/**
 * The response text `result.payload` was parsed from, for a caller that forwards it unchanged (a served flow's
 * answer) instead of serializing the payload again; undefined when there is none (no body, not parsed from one).
 */
export function receivedTextOf(result: InvokeResult): string | undefined {
  return result instanceof DeferredPayloadResult ? result.receivedText : received.get(result);
}

function statusError(operation: string, res: IncomingResponse): ConnectorError {
  const envelope = readEnvelope(res.body);
  const code = codeFor(res.status);
  const text = envelope.message ?? (res.body === '' ? 'no details' : snippet(res.body));
  return new ConnectorError({
    code,
    operation,
    status: res.status,
    retryable: code === 'RATE_LIMITED' || (res.status >= 500 && res.status !== 501),
    message: `${operation}: ServiceNow answered ${res.status}: ${text}`,
    detail: envelope.detail ?? null,
    response: { body: parsedBody(res.body), headers: res.headers },
  });
}

/** The error body as a flow sees it: JSON when it parses, else the text (empty when there is none). */
function parsedBody(body: string): unknown {
  if (body === '') return '';
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function codeFor(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'AUTH_FAILED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'RATE_LIMITED';
    default:
      return 'SERVICENOW_ERROR';
  }
}

/** ServiceNow's `{"error": {"message", "detail"}}`, or an OAuth-style `{"error", "error_description"}`. */
function readEnvelope(body: string): { message?: string; detail?: string } {
  if (body === '' || body[0] !== '{') return {};
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const error = parsed['error'];
    if (error && typeof error === 'object') {
      const e = error as Record<string, unknown>;
      return { message: textOf(e['message']), detail: textOf(e['detail']) };
    }
    if (typeof error === 'string') return { message: error, detail: textOf(parsed['error_description']) };
  } catch {
    // Not JSON: the caller shows a snippet of the body instead.
  }
  return {};
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return redactText(typeof value === 'string' ? value : JSON.stringify(value));
}

function snippet(body: string): string {
  const text = body.length > 200 ? body.slice(0, 200) + '...' : body;
  return redactText(text);
}
