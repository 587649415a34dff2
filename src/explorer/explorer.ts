// The explorer's server side: one request handler (mountable under any path prefix) that serves the page and a
// small JSON API over the real runtime: the catalogue as forms, the request a form would send, sending it, reading
// every page as an NDJSON stream, and running a flow file with a step-by-step trace.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultCatalogueDir, loadCatalogue, toText, type Catalogue } from '../catalogue/index.js';
import { MessageContext, type JsonValue } from '../context/index.js';
import { ConnectorError } from '../errors.js';
import { loadConnector } from '../invoke/index.js';
import { bindParameters } from '../invoke/bind.js';
import { buildSettings } from '../invoke/settings.js';
import type { Connection, Connector } from '../invoke/types.js';
import { validateParameters } from '../invoke/validate.js';
import type { CatalogueView, ConnectionView, SendView, StreamLine } from './api-types.js';
import { initView, operationGroups } from './catalogue-view.js';
import { listFlows, loadFlow } from './flow-files.js';
import { traceFlow } from './flow-trace.js';
import { errorView, localHost, readJson, sendJson } from './http-io.js';
import { explorerPage } from './page.js';
import { previewRequest } from './preview.js';
import { SecretScrubber } from './secrets.js';

export interface ExplorerOptions {
  /** The loaded connector; default: loadConnector() on the catalogue folder. */
  connector?: Connector;
  /** Catalogue folder (default: the package's own). */
  catalogueDir?: string;
  /** Init parameters of the connection requests go to until the page configures another. */
  connection: Record<string, unknown>;
  /** That connection is the embedded simulator's (its demo credentials are shown as such, not treated as secrets). */
  embeddedSimulator?: boolean;
  /** Folder whose *.xml flow files the page can run; none: no Flows tab. */
  flowsDir?: string;
  /** Path prefix the handler answers under, e.g. `/explorer` when mounted in `serve` (default: the root). */
  basePath?: string;
}

/** A request handler that a server (snconnect explorer, snconnect serve --explorer) mounts. */
export interface ExplorerHandler {
  /** Answers the request when its path is the explorer's; false when it is not (the caller answers). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
}

interface OpenConnection {
  connection: Connection;
  view: ConnectionView;
  /** The init values, secrets included: kept on the server, handed only to flow runs (as properties). */
  values: Record<string, unknown>;
}

const CLIENT_MODULE = /^\/web\/([a-z0-9-]+\.js)$/;

export async function createExplorer(options: ExplorerOptions): Promise<ExplorerHandler> {
  const catalogue = await loadCatalogue(options.catalogueDir);
  const connector = options.connector ?? (await loadConnector(options.catalogueDir ? { dir: options.catalogueDir } : {}));
  const app = new ExplorerApp(catalogue, connector, options);
  app.open(options.connection, options.embeddedSimulator ?? false, 'default');
  return app;
}

class ExplorerApp implements ExplorerHandler {
  private readonly scrubber = new SecretScrubber();
  private readonly connections = new Map<string, OpenConnection>();
  private readonly base: string;
  private readonly webDir = join(defaultCatalogueDir(), 'dist', 'src', 'explorer', 'web');
  private readonly modules = new Map<string, string>();
  private page?: string;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly connector: Connector,
    private readonly options: ExplorerOptions,
  ) {
    this.base = (options.basePath ?? '').replace(/\/+$/, '');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (this.base && url.pathname !== this.base && !url.pathname.startsWith(this.base + '/')) return false;
    if (this.base && url.pathname === this.base) {
      // The page's links are relative: it must be read from the folder URL.
      res.writeHead(308, { location: this.base + '/' + url.search });
      res.end();
      return true;
    }
    const path = url.pathname.slice(this.base.length) || '/';
    if (!localHost(req)) {
      sendJson(res, 403, { error: { code: 'FORBIDDEN', message: 'explorer: only pages served from this machine may use the explorer' } }, this.scrubber);
      return true;
    }
    try {
      if (req.method === 'GET') return await this.get(path, url, res);
      if (req.method === 'POST') return await this.post(path, req, res);
      return false;
    } catch (err) {
      if (!res.headersSent) sendJson(res, isClientError(err) ? 400 : 500, { error: errorView(err) }, this.scrubber);
      else res.destroy();
      return true;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.connection.close()));
    this.connections.clear();
  }

  /** Opens a connection from init values; the page gets an id and a description without secrets. */
  open(values: Record<string, unknown>, embeddedSimulator: boolean, id: string = randomUUID()): ConnectionView {
    const init = this.catalogue.init;
    const secretNames = init.descriptor.parameters.filter((p) => p.secret).map((p) => p.name);
    const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && v !== undefined && v !== null));
    // The simulator's demo credentials are public; masking e.g. `admin` everywhere would garble records.
    if (!embeddedSimulator) this.scrubber.remember(given, secretNames);
    const bound = bindParameters(init, given, undefined);
    validateParameters(init, bound);
    const settings = buildSettings(init, bound);
    const connection = this.connector.connect(given);
    const plain: Record<string, string> = {};
    for (const [name, value] of Object.entries(given)) if (!secretNames.includes(name)) plain[name] = toText(value);
    const auth = settings.auth as { type?: string; username?: string; clientId?: string } | undefined;
    const who = auth?.username ?? auth?.clientId;
    const view: ConnectionView = {
      id,
      label: `${embeddedSimulator ? 'embedded simulator ' : ''}${settings.baseUrl}${who ? ` as ${who}` : ''}${auth?.type ? ` (${auth.type})` : ''}`,
      values: plain,
      secretNames: secretNames.filter((n) => given[n] !== undefined),
      embeddedSimulator,
    };
    const previous = this.connections.get(id);
    this.connections.set(id, { connection, view, values: given });
    void previous?.connection.close();
    return view;
  }

  private async get(path: string, url: URL, res: ServerResponse): Promise<boolean> {
    if (path === '/' || path === '/index.html') {
      this.page ??= explorerPage(await readdir(this.webDir).then((names) => names.filter((n) => n.endsWith('.js')).sort(), () => []));
      const body = this.page;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    }
    const module = CLIENT_MODULE.exec(path);
    if (module) {
      const text = await this.clientModule(module[1]!);
      if (text === undefined) return false;
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
    if (path === '/api/catalogue') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(this.scrubber.text(this.catalogueJson(url.searchParams.get('connection') ?? 'default')));
      return true;
    }
    if (path === '/api/flows') {
      sendJson(res, 200, { flows: this.options.flowsDir ? await listFlows(this.options.flowsDir, this.connector) : [] }, this.scrubber);
      return true;
    }
    return false;
  }

  private async post(path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (path) {
      case '/api/connection': {
        const body = await readJson(req);
        sendJson(res, 200, { connection: this.open(objectOf(body['values'], 'values'), false) }, this.scrubber);
        return true;
      }
      case '/api/preview': {
        const body = await readJson(req);
        const { open, operation, params } = this.call(body);
        sendJson(res, 200, { preview: previewRequest(open.connection, operation, params, this.allPages(operation, params)) }, this.scrubber);
        return true;
      }
      case '/api/send': {
        const body = await readJson(req);
        const { open, operation, params } = this.call(body);
        const started = performance.now();
        try {
          const result = await open.connection.invoke(operation, params);
          result.body?.destroy();
          const view: SendView = { status: result.status, timeMs: ms(started), headers: result.headers, payload: result.payload ?? null, ...(result.totalCount !== undefined ? { totalCount: result.totalCount } : {}) };
          sendJson(res, 200, { result: view }, this.scrubber);
        } catch (err) {
          // A ServiceNow error is an answer to show (status, message), not a failure of the explorer.
          sendJson(res, 200, { error: errorView(err), timeMs: ms(started) }, this.scrubber);
        }
        return true;
      }
      case '/api/stream':
        await this.stream(await readJson(req), res);
        return true;
      case '/api/flows/run':
        await this.runFlow(await readJson(req), res);
        return true;
    }
    return false;
  }

  private async stream(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const { open, operation, params } = this.call(body);
    const switchName = this.connector.describe(operation)?.paging?.allPagesParameter;
    const streamParams = { ...params };
    if (switchName) delete streamParams[switchName];
    const records = open.connection.stream(operation, streamParams, { countTotal: true });
    const started = performance.now();
    res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
    let closed = false;
    res.on('close', () => (closed = true));
    const write = (line: StreamLine): boolean => res.write(this.scrubber.json(line) + '\n');
    try {
      let lastPages = 0;
      for await (const record of records) {
        if (closed) break;
        const more = write({ record });
        const p = records.progress;
        if (p.pages !== lastPages) {
          lastPages = p.pages;
          write({ progress: { records: p.records, pages: p.pages, ...(p.totalCount !== undefined ? { total: p.totalCount } : {}) } });
        }
        // Back-pressure: wait for the page to take what was written before reading more.
        if (!more && !closed) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      }
      const p = records.progress;
      if (!closed) write({ done: { records: p.records, pages: p.pages, timeMs: ms(started), ...(p.totalCount !== undefined ? { total: p.totalCount } : {}) } });
    } catch (err) {
      if (!closed) write({ error: errorView(err) });
    }
    res.end();
  }

  private async runFlow(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    if (!this.options.flowsDir) throw new ConnectorError({ code: 'INVALID_PARAMETER', message: 'explorer: no flows folder is served' });
    const file = stringOf(body['file'], 'file');
    const flow = await loadFlow(this.options.flowsDir, file, this.connector);
    const open = this.connection(body['connection']);
    // The flow's <init> reads the connection from properties named like the init parameters ({$ctx:...}).
    const properties: Record<string, unknown> = { ...open.values, ...objectOf(body['properties'] ?? {}, 'properties') };
    const context = new MessageContext({ properties });
    const payload = body['payload'];
    if (typeof payload === 'string' && payload.trim() !== '') {
      try {
        context.payload = JSON.parse(payload) as JsonValue;
        context.contentType = 'application/json';
      } catch {
        context.payload = payload;
        context.contentType = 'text/plain';
      }
    }
    const sequence = typeof body['sequence'] === 'string' && body['sequence'] !== '' ? body['sequence'] : undefined;
    const trace = await traceFlow(flow, { connector: this.connector, context, ...(sequence ? { sequence } : {}) });
    sendJson(res, 200, { trace }, this.scrubber);
  }

  private call(body: Record<string, unknown>): { open: OpenConnection; operation: string; params: Record<string, unknown> } {
    const operation = stringOf(body['operation'], 'operation');
    const params = objectOf(body['params'] ?? {}, 'params');
    return { open: this.connection(body['connection']), operation, params: withoutEmpty(params) };
  }

  private connection(id: unknown): OpenConnection {
    const open = this.connections.get(typeof id === 'string' && id !== '' ? id : 'default');
    if (!open) throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: 'connection', message: 'explorer: that connection is no longer open; set it up again' });
    return open;
  }

  private allPages(operation: string, params: Record<string, unknown>): boolean {
    const name = this.connector.describe(operation)?.paging?.allPagesParameter;
    return name !== undefined && String(params[name] ?? '').toLowerCase() === 'true';
  }

  private catalogueJson(connectionId: string): string {
    const view: CatalogueView = {
      connector: { name: this.catalogue.name, version: this.catalogue.version, description: this.catalogue.description },
      init: initView(this.catalogue),
      groups: operationGroups(this.catalogue),
      connection: this.connection(connectionId).view,
      flows: this.options.flowsDir !== undefined,
    };
    return JSON.stringify(view);
  }

  private async clientModule(name: string): Promise<string | undefined> {
    const cached = this.modules.get(name);
    if (cached !== undefined) return cached;
    try {
      const text = await readFile(join(this.webDir, name), 'utf8');
      this.modules.set(name, text);
      return text;
    } catch {
      return undefined;
    }
  }
}

function ms(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function isClientError(err: unknown): boolean {
  return err instanceof ConnectorError && ['INVALID_PARAMETER', 'MISSING_PARAMETER', 'SEQUENCE_ERROR'].includes(err.code);
}

function stringOf(value: unknown, name: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new ConnectorError({ code: 'MISSING_PARAMETER', parameter: name, message: `explorer: '${name}' is required` });
}

function objectOf(value: unknown, name: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: name, message: `explorer: '${name}' must be an object` });
}

/** A form's empty fields are not given: the operation's defaults apply, as when a parameter is left out. */
function withoutEmpty(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== null) out[k] = v;
  return out;
}
