// The request pipeline: read -> count/log -> latency and faults -> auth -> rate limit -> handler -> faults on the way out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from '../auth/users.js';
import type { FaultPlanner } from '../faults.js';
import type { Monitor } from '../monitor.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { RequestGate } from '../request-gate.js';
import type { SimulatorState } from '../state.js';
import type { FaultKind, RequestLogEntry } from '../types.js';
import { errorReply, replyBytes, type Reply } from './reply.js';
import type { RequestContext } from './request-context.js';
import { matchRoute, type RouteMatch } from './routes.js';

export type RouteHandler = (ctx: RequestContext, route: RouteMatch) => Reply | Promise<Reply>;

export interface Pipeline {
  readonly state: SimulatorState;
  readonly monitor: Monitor;
  readonly faults: FaultPlanner;
  readonly rateLimiter: RateLimiter;
  /** The node's concurrency limit (maxConcurrent / maxQueued). */
  readonly gate: RequestGate;
  readonly handlers: Partial<Record<RouteMatch['kind'], RouteHandler>>;
  /** Admin requests bypass stats, the log, auth and faults. */
  readonly admin: RouteHandler;
  /** How clients reach this server: 'https' with --tls. */
  readonly scheme: 'http' | 'https';
  /** Fixed public URL for links (ServiceNow's glide.servlet.uri), or undefined to build them from the request. */
  readonly publicUrl?: string;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const CANCELLED_TEXT = 'Transaction cancelled: maximum execution time exceeded';

export function requestListener(p: Pipeline): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(p, req, res).catch((err: unknown) => {
      // A handler bug must not take the server down: answer 500 like ServiceNow's generic failure.
      if (!res.headersSent && !res.destroyed) {
        writeReply(res, errorReply(500, 'Internal server error', err instanceof Error ? err.message : String(err)));
      } else res.destroy();
    });
  };
}

async function handle(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const body = raw?.toString('utf8');
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  let route: RouteMatch;
  try {
    route = matchRoute(method, path);
  } catch {
    route = { kind: 'unknown', params: {}, template: `${method} (bad path)`, secured: false };
  }
  const ctx: RequestContext = { method, path, query, params: route.params, headers: req.headers, body: body ?? '', rawBody: raw ?? Buffer.alloc(0), baseUrl: publicBaseUrl(p, req), rawQuery };

  if (route.kind === 'admin') {
    writeReply(res, await p.admin(ctx, route));
    return;
  }

  const entry = p.monitor.begin({ method, path, route: route.template, query: Object.fromEntries(query), headers: req.headers, body: body ?? '' });
  const finish = (reply: Reply | 'reset', fault?: FaultKind): void => {
    if (fault) {
      entry.fault = fault;
      p.monitor.fault(fault);
    }
    if (reply === 'reset') {
      p.monitor.finish(entry, 0);
      resetConnection(res);
      return;
    }
    p.monitor.finish(entry, reply.status);
    writeReply(res, reply, fault === 'truncatedBody');
  };

  if (body === undefined) return finish(errorReply(413, 'Request entity too large', `The request body exceeds ${MAX_BODY_BYTES} bytes`));

  // The node's semaphore: wait for a slot, or 429 at once when the queue behind it is full.
  let admitted = p.gate.enter();
  if (admitted !== true && admitted !== false) admitted = await admitted;
  if (!admitted) return finish(queueFull());
  try {
    await processRequest(p, ctx, route, req, entry, finish);
  } finally {
    p.gate.leave();
  }
}

type Finish = (reply: Reply | 'reset', fault?: FaultKind) => void;

async function processRequest(p: Pipeline, ctx: RequestContext, route: RouteMatch, req: IncomingMessage, entry: RequestLogEntry, finish: Finish): Promise<void> {
  const { path } = ctx;
  const b = p.state.behaviour;
  let fault: FaultKind | undefined;
  if (p.faults.eligible(b, path)) {
    const delay = p.faults.latencyMs(b);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    fault = p.faults.draw(b);
    if (fault === 'resetBeforeProcessing') return finish('reset', fault);
    if (fault === 'status500') return finish(errorReply(500, 'Internal server error', 'Simulated failure'), fault);
    if (fault === 'status502' || fault === 'status503') return finish(gatewayPage(fault === 'status502' ? 502 : 503), fault);
  }

  if (route.secured) {
    const user = authenticate(headerText(req.headers.authorization), p.state.users, p.state.tokens);
    if (!user) {
      p.monitor.authFailure();
      return finish(unauthenticated(b.wwwAuthenticate));
    }
    ctx.user = user;
    entry.user = user.userName;
  }

  let rateHeaders: Record<string, string> = {};
  if (b.rateLimit && ctx.user) {
    const decision = p.rateLimiter.check(b.rateLimit, ctx.user.userName);
    rateHeaders = decision.headers;
    if (!decision.allowed) {
      p.monitor.rateLimited();
      const headers = { ...rateHeaders };
      if (!b.rateLimit.omitRetryAfter) {
        headers['Retry-After'] = b.rateLimit.retryAfterAsDate ? new Date(Date.now() + decision.retryAfterSeconds * 1000).toUTCString() : String(decision.retryAfterSeconds);
      }
      return finish(errorReply(429, 'Rate limit exceeded', `Rate limit rule '${b.rateLimit.rule}' allows ${b.rateLimit.limit} requests per ${b.rateLimit.windowMs} ms`, headers));
    }
  }

  const handler = p.handlers[route.kind];
  let reply = handler ? await handler(ctx, route) : errorReply(400, `Requested URI does not represent any resource: ${path}`, null);
  reply = { ...reply, headers: { ...reply.headers, ...rateHeaders } };
  const rowDelay = p.faults.eligible(b, path) ? b.latency.perRowMs * (reply.rows ?? 0) : 0;
  if (rowDelay > 0) await new Promise((r) => setTimeout(r, rowDelay));

  if (fault === 'resetAfterCommit') return finish('reset', fault);
  if (fault === 'cancelledTransaction') {
    if (reply.status === 200 && reply.body) {
      const cut = reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2)));
      return finish({ ...reply, body: cut + CANCELLED_TEXT }, fault);
    }
    const bytes = reply.status === 200 && isJson(reply) ? replyBytes(reply) : undefined;
    if (bytes) {
      const cut = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
      return finish({ ...reply, parts: undefined, binary: Buffer.concat([cut, Buffer.from(CANCELLED_TEXT)]) }, fault);
    }
    fault = undefined;
  }
  const textLength = reply.body?.length ?? (isJson(reply) ? byteLength(reply) : 0);
  if (fault === 'truncatedBody' && !(textLength > 1)) fault = undefined;
  finish(reply, fault);
}

/** A node whose semaphore queue is full refuses at once (ServiceNow KB0635398: "429 Too Many Requests"). */
function queueFull(): Reply {
  return errorReply(429, 'Too Many Requests', 'The maximum number of queued transactions has been reached; try again later');
}

/**
 * The scheme and host links are built from. An instance writes links with its public URL (glide.servlet.uri), so
 * behind TLS or a proxy they are https and the proxy's host: X-Forwarded-Proto / X-Forwarded-Host are honoured.
 */
const HOST_PATTERN = /^[A-Za-z0-9.\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

function publicBaseUrl(p: Pipeline, req: IncomingMessage): string {
  if (p.publicUrl) return p.publicUrl;
  const first = (v: string | string[] | undefined): string | undefined => headerText(v)?.split(',')[0]?.trim() || undefined;
  const proto = first(req.headers['x-forwarded-proto'])?.toLowerCase();
  const scheme = proto === 'https' || proto === 'http' ? proto : p.scheme;
  const forwarded = first(req.headers['x-forwarded-host']);
  const host = (forwarded && HOST_PATTERN.test(forwarded) ? forwarded : undefined) ?? req.headers.host ?? '127.0.0.1';
  return `${scheme}://${host}`;
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function unauthenticated(wwwAuthenticate: boolean): Reply {
  return errorReply(401, 'User Not Authenticated', 'Required to provide Auth information', wwwAuthenticate ? { 'WWW-Authenticate': 'BASIC realm="Service-now"' } : {});
}

/** 502/503 come from the load balancer in front of an instance: an HTML page, not ServiceNow's JSON envelope. */
function gatewayPage(status: 502 | 503): Reply {
  const title = status === 502 ? '502 Bad Gateway' : '503 Service Unavailable';
  return { status, headers: { 'Content-Type': 'text/html' }, body: `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>` };
}

/** The whole body, or undefined when it is larger than allowed. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A JSON body sent as bytes (Table API pages), not an attachment's content. */
function isJson(reply: Reply): boolean {
  return (reply.headers?.['Content-Type'] ?? '').startsWith('application/json');
}

/** Bytes of a binary or multi-part body (0 for a text body or none). */
function byteLength(reply: Reply): number {
  if (reply.binary) return reply.binary.length;
  let n = 0;
  for (const part of reply.parts ?? []) n += part.length;
  return n;
}

function writeReply(res: ServerResponse, reply: Reply, truncate = false): void {
  if (res.destroyed) return;
  if (reply.parts && !truncate) {
    // The parts go out in one writev (corked), not copied into one buffer first.
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': byteLength(reply) });
    res.cork();
    for (const part of reply.parts) res.write(part);
    res.end();
    return;
  }
  const body = replyBytes(reply);
  const headers: Record<string, string | number> = { ...reply.headers };
  if (body) headers['Content-Length'] = body.length;
  res.writeHead(reply.status, headers);
  if (!body) {
    res.end();
    return;
  }
  if (truncate) {
    // Promise the whole body, send half, then drop the connection: the client sees a premature close.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => resetConnection(res));
    return;
  }
  res.end(body);
}

function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

export type { RequestLogEntry };
