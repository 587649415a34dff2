// Batch API: POST /api/now/v1/batch runs several REST requests in one call. Each request's body and answer are
// base64 text; every request runs through the same handlers as a direct call, as the authenticated user.
import type { RouteHandler } from './http/server.js';
import { errorReply, jsonReply, malformedBody, replyBytes, type Reply } from './http/reply.js';
import type { RequestContext } from './http/request-context.js';
import { matchRoute, type RouteKind } from './http/routes.js';

interface RestRequest {
  id: string;
  method: string;
  url: string;
  headers: Array<{ name: string; value: string }>;
  body?: string;
  exclude_response_headers?: boolean;
}

export async function handleBatch(ctx: RequestContext, handlers: Partial<Record<RouteKind, RouteHandler>>): Promise<Reply> {
  if (ctx.method !== 'POST') return errorReply(405, 'Method not Supported', 'Requested method is not supported by this resource');
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body);
  } catch {
    return malformedBody();
  }
  const batch = parsed as { batch_request_id?: unknown; rest_requests?: unknown } | null;
  if (!batch || typeof batch !== 'object' || !Array.isArray(batch.rest_requests)) {
    return errorReply(400, 'Exception while reading request', 'Expected {"batch_request_id": "...", "rest_requests": [ ... ]}');
  }
  const serviced: unknown[] = [];
  const unserviced: string[] = [];
  for (const raw of batch.rest_requests as unknown[]) {
    const request = readRequest(raw);
    if (!request) {
      unserviced.push(String((raw as { id?: unknown } | null)?.id ?? ''));
      continue;
    }
    const started = Date.now();
    const reply = await runOne(ctx, request, handlers);
    const body = replyBytes(reply);
    const headers = Object.entries(reply.headers ?? {}).map(([name, value]) => ({ name, value }));
    serviced.push({
      id: request.id,
      status_code: reply.status,
      status_text: statusText(reply.status),
      headers: request.exclude_response_headers ? [] : headers,
      body: body ? body.toString('base64') : '',
      execution_time: Date.now() - started,
    });
  }
  return jsonReply(200, { batch_request_id: String(batch.batch_request_id ?? ''), serviced_requests: serviced, unserviced_requests: unserviced });
}

function readRequest(raw: unknown): RestRequest | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') return undefined;
  const headers = Array.isArray(r.headers) ? r.headers.filter((h): h is { name: string; value: string } => !!h && typeof h.name === 'string' && typeof h.value === 'string') : [];
  return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body: typeof r.body === 'string' ? r.body : undefined, exclude_response_headers: r.exclude_response_headers === true };
}

async function runOne(outer: RequestContext, request: RestRequest, handlers: Partial<Record<RouteKind, RouteHandler>>): Promise<Reply> {
  const q = request.url.indexOf('?');
  const path = q < 0 ? request.url : request.url.slice(0, q);
  const rawQuery = q < 0 ? '' : request.url.slice(q + 1);
  let route;
  try {
    route = matchRoute(request.method, path);
  } catch {
    return errorReply(400, `Requested URI does not represent any resource: ${path}`, null);
  }
  // Only the REST APIs run inside a batch (no OAuth, no admin, no nested batch).
  const handler = route.secured && route.kind !== 'batch' ? handlers[route.kind] : undefined;
  if (!handler) return errorReply(400, `Requested URI does not represent any resource: ${path}`, null);
  const headers: Record<string, string> = {};
  for (const h of request.headers) headers[h.name.toLowerCase()] = h.value;
  const rawBody = request.body ? Buffer.from(request.body, 'base64') : Buffer.alloc(0);
  const ctx: RequestContext = {
    method: request.method,
    path,
    query: new URLSearchParams(rawQuery),
    params: route.params,
    headers,
    body: rawBody.toString('utf8'),
    rawBody,
    baseUrl: outer.baseUrl,
    rawQuery,
    user: outer.user,
  };
  return handler(ctx, route);
}

function statusText(status: number): string {
  const texts: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };
  return texts[status] ?? '';
}
