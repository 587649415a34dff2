// The flow server: node:http in front of the loaded artifacts. Each request is routed (router.ts), turned into a
// MessageContext (request.ts), run through its inSequence (and outSequence when the in-sequence ends without
// answering), and answered from the context (response.ts); a flow that never answers gets 202. Operations
// endpoints: GET /health (live), /ready (loaded and not draining), /metrics (Prometheus). Extra routes (the
// explorer) are mounted with mount(prefix, handler). close() drains: stop accepting, stop background services,
// let running flows finish within the grace period, then abort what is left.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Cancellation } from '../cancellation.js';
import type { ArtifactSet, BackgroundService, ServiceHost } from '../artifacts/index.js';
import type { MessageContext } from '../context/index.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import type { Connector } from '../invoke/types.js';
import { quietLogger, redactText, type Logger } from '../logger.js';
import { ConnectionPool, runFlow, type RunResult } from '../mediation/index.js';
import { closeEndpointConnections } from '../mediation/endpoints/endpoint-call.js';
import { ServeMetrics } from './metrics.js';
import { readBody, requestContext, RequestError } from './request.js';
import { statusOf, writeContext, writeJson } from './response.js';
import { Router, type RouteMatch } from './router.js';
import { TaskService } from './tasks.js';

export type MountHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface FlowServerOptions {
  artifacts: ArtifactSet;
  connector: Connector;
  logger?: Logger;
  /** Default 8290 (WSO2 MI's HTTP port); 0 picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Largest request body accepted (default 10 MiB); beyond it: 413. */
  maxBodyBytes?: number;
  /** How long close() lets running flows finish before aborting them (default 10 s). */
  graceMs?: number;
  /** One line per request (default: none). The CLI writes them to stderr. */
  accessLog?: (line: string) => void;
  /** Message properties every flow starts with (`snconnect serve -p name=value`), e.g. the instance URL. */
  properties?: Readonly<Record<string, string>>;
}

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

export class FlowServer {
  readonly metrics: ServeMetrics;
  private readonly server: Server;
  private readonly router: Router;
  private readonly pool: ConnectionPool;
  private readonly logger: Logger;
  private readonly services: BackgroundService[];
  private readonly inFlight = new Set<Cancellation>();
  private readonly mounts: { prefix: string; handler: MountHandler }[] = [];
  private idle: (() => void) | undefined;
  private draining = false;
  private started = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: FlowServerOptions) {
    this.logger = options.logger ?? quietLogger;
    this.router = new Router(options.artifacts);
    this.pool = new ConnectionPool(options.connector);
    this.metrics = new ServeMetrics(() => this.pool.retries());
    for (const task of options.artifacts.tasks) {
      if (!options.artifacts.flow.sequences.has(task.sequence)) {
        throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${task.file}:${task.line}: task '${task.name}' injects into '${task.sequence.replace(/^proxy:(.*):in$/, 'proxy $1')}', which is not loaded` });
      }
    }
    this.services = [...options.artifacts.tasks.map((t) => new TaskService(t, (task, outcome) => this.metrics.taskRuns.inc({ task, outcome }))), ...options.artifacts.services];
    this.server = createServer({ keepAliveTimeout: 5000 }, (req, res) => void this.handle(req, res));
  }

  /** Base URL once listening, e.g. http://127.0.0.1:8290. */
  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('the server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  get ready(): boolean {
    return this.started && !this.draining;
  }

  /** Routes under `prefix` (e.g. `/explorer`) go to `handler` before any flow; they are not counted as flows. */
  mount(prefix: string, handler: MountHandler): void {
    this.mounts.push({ prefix: prefix.replace(/\/+$/, ''), handler });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 8290, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const host = this.host();
    for (const s of this.services) await s.start(host);
    this.started = true;
  }

  /** Graceful stop; safe to call twice (the second waits for the first). */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  /** Runs a sequence of the loaded artifacts with the server's connections (tasks and other services use it). */
  runSequence(sequence: string, ctx: MessageContext): Promise<RunResult> {
    return this.run(sequence, ctx);
  }

  private host(): ServiceHost {
    return {
      artifacts: this.options.artifacts,
      connector: this.options.connector,
      logger: this.logger,
      runSequence: (name, ctx) => this.runSequence(name, ctx),
      metrics: this.metrics.registry,
    };
  }

  private async run(sequence: string, ctx: MessageContext, outSequence?: string): Promise<RunResult> {
    for (const name in this.options.properties) if (ctx.getProperty(name) === undefined) ctx.setProperty(name, this.options.properties[name]);
    this.metrics.inFlight.inc();
    try {
      return await runFlow(this.options.artifacts.flow, {
        connector: this.options.connector,
        context: ctx,
        logger: this.logger,
        sequence,
        pool: this.pool,
        observer: this.metrics.observer,
        ...(outSequence ? { outSequence } : {}),
      });
    } finally {
      this.metrics.inFlight.dec();
    }
  }

  private async drain(): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await Promise.allSettled(this.services.map((s) => s.stop()));
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.graceMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      for (const c of this.inFlight) c.abort(new Error('the server is shutting down'));
    }
    this.server.closeAllConnections();
    await closed;
    await this.pool.closeAll();
    await closeEndpointConnections();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0]!;
    if (this.draining) res.setHeader('connection', 'close');
    if (method === 'GET' && (path === '/health' || path === '/ready' || path === '/metrics')) return this.operations(path, res);
    const mount = this.mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    if (mount) return this.mounted(mount.handler, req, res);
    const route = this.router.route(method, url);
    const labels = route.kind === 'none' ? { api: 'none', resource: 'none' } : { api: route.name, resource: route.resource };
    let status = 0;
    const id = randomUUID();
    const cancellation = new Cancellation();
    this.inFlight.add(cancellation);
    // The client went away before its answer: abort the flow's outstanding ServiceNow calls.
    res.on('close', () => {
      if (!res.writableFinished) cancellation.abort(new Error('the client closed the connection'));
    });
    try {
      if (route.kind === 'none') {
        req.resume();
        status = route.status;
        const message = route.status === 404 ? `no API resource or proxy matches ${method} ${path}` : `${method} is not allowed here (allowed: ${route.allow.join(', ')})`;
        writeJson(res, route.status, { error: { code: route.status === 404 ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED', message } }, route.status === 405 ? { allow: route.allow.join(', ') } : {});
        return;
      }
      if (this.draining) {
        req.resume();
        status = 503;
        writeJson(res, 503, { error: { code: 'UNAVAILABLE', message: 'the server is shutting down' } });
        return;
      }
      status = await this.serveFlow(route, req, res, cancellation, id);
    } catch (err) {
      status = this.internalError(res, err, id);
    } finally {
      this.inFlight.delete(cancellation);
      if (this.inFlight.size === 0) this.idle?.();
      const seconds = (performance.now() - started) / 1000;
      this.metrics.countRequest(labels.api, labels.resource, method, String(status));
      if (route.kind !== 'none') this.metrics.observeDuration(labels.api, labels.resource, seconds);
      this.options.accessLog?.(`${new Date().toISOString()} ${method} ${path} ${status} ${(seconds * 1000).toFixed(1)}ms ${labels.api} "${labels.resource}" id=${id}`);
    }
  }

  /** Runs the flow of a matched route and answers; returns the status sent (499: the client left first). */
  private async serveFlow(route: RouteMatch, req: IncomingMessage, res: ServerResponse, cancellation: Cancellation, id: string): Promise<number> {
    let ctx: MessageContext;
    try {
      const body = await readBody(req, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY);
      ctx = requestContext(req, body, route);
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      // A body that is too large is not read further: answer and close the connection.
      if (err.status === 413) res.setHeader('connection', 'close');
      writeJson(res, err.status, { error: { code: err.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST', message: err.message } });
      if (err.status === 413) req.destroy();
      return err.status;
    }
    ctx.cancellation = cancellation;
    ctx.setProperty('CORRELATION_ID', id);
    const headOnly = req.method === 'HEAD';
    // <send> with an endpoint and <loopback/> hand their message to the outSequence themselves; an in-sequence that
    // ends without answering runs it too.
    let result = await this.run(route.inSequence, ctx, route.outSequence);
    if (result.outcome === 'completed' && route.outSequence) result = await this.run(route.outSequence, result.context);
    if (cancellation.aborted || res.destroyed) return 499;
    if (result.outcome === 'responded' || (result.outcome === 'fault' && result.faultStop === 'respond')) {
      // The answering message may be another than the request's own (a split or aggregated message).
      const status = statusOf(result.context, result.outcome === 'fault' ? 500 : 200);
      writeContext(res, result.context, status, headOnly);
      return status;
    }
    // A fault sequence that ends with <drop/> answers nothing: 202, as for any flow that does not answer.
    if (result.outcome === 'fault' && result.faultStop !== 'drop') return this.faultAnswer(res, result, id);
    // Ended without answering (or dropped): accepted, as WSO2 answers a flow with no response.
    res.writeHead(202, { 'content-length': '0' });
    res.end();
    return 202;
  }

  private faultAnswer(res: ServerResponse, result: RunResult, id: string): number {
    const error = result.error;
    const cause = error?.cause;
    // A failure that is not the connector's own (a bug, an unexpected exception): no details to the client.
    if (!error || (error.code === 'SEQUENCE_ERROR' && cause !== undefined && !isConnectorError(cause))) return this.internalError(res, cause ?? error, id);
    this.logger.log('warn', `flow fault ${error.code}: ${error.message}`, { correlationId: id });
    writeJson(res, 500, { error: { code: error.code, message: redactText(error.message), ...(error.detail ? { detail: redactText(error.detail) } : {}), correlationId: id } });
    return 500;
  }

  private internalError(res: ServerResponse, err: unknown, id: string): number {
    this.logger.log('error', `unexpected failure (correlation id ${id}): ${redactText(err instanceof Error ? err.message : String(err))}`);
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return 500;
    }
    writeJson(res, 500, { error: { code: 'INTERNAL_ERROR', message: `the flow failed unexpectedly; correlation id ${id}`, correlationId: id } });
    return 500;
  }

  private async operations(path: string, res: ServerResponse): Promise<void> {
    if (path === '/health') return writeJson(res, 200, { status: 'UP' });
    if (path === '/ready') {
      const a = this.options.artifacts;
      const body = { ready: this.ready, apis: a.apis.length, proxies: a.proxies.length, tasks: a.tasks.length, draining: this.draining };
      return writeJson(res, this.ready ? 200 : 503, body);
    }
    const text = await this.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
    res.end(text);
  }

  private async mounted(handler: MountHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await handler(req, res);
    } catch (err) {
      this.internalError(res, err, randomUUID());
    }
  }
}

export async function startFlowServer(options: FlowServerOptions): Promise<FlowServer> {
  const server = new FlowServer(options);
  await server.listen();
  return server;
}
