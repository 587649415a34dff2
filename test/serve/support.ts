// Shared set-up of the serve tests: one simulator per file, the real connector, artifacts from XML texts (or
// fixture folders with the instance URL pointed at the simulator), and a FlowServer on 127.0.0.1 port 0.
import { readFile } from 'node:fs/promises';
import { buildArtifacts, discoverArtifactFiles } from '../../src/artifacts/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { startFlowServer, type FlowServer, type FlowServerOptions } from '../../src/serve/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { memoryLogger } from '../mediation/helpers.js';

export const DOCS_INSTANCE = 'https://your-instance.service-now.com';

export interface ServeHarness {
  sim: RunningSimulator;
  connector: Connector;
  /** Serves the given sources; `{{SIM}}` in a text (and the docs' placeholder instance URL) become the simulator's URL. */
  serve(sources: { file: string; text: string }[], options?: Partial<FlowServerOptions>): Promise<FlowServer & { logs: ReturnType<typeof memoryLogger>['lines'] }>;
  /** Reads artifact files from fixture paths (files, folders, MI projects) as sources. */
  fixtures(...paths: string[]): Promise<{ file: string; text: string }[]>;
  close(): Promise<void>;
}

export async function startServeHarness(): Promise<ServeHarness> {
  const sim = await startSimulator({ port: 0 });
  const connector = await loadConnector();
  const servers: FlowServer[] = [];
  return {
    sim,
    connector,
    async serve(sources, options = {}) {
      const texts = sources.map((s) => ({ file: s.file, text: s.text.replaceAll('{{SIM}}', sim.url).replaceAll(DOCS_INSTANCE, sim.url) }));
      const artifacts = buildArtifacts(texts, { connector, ...(options.artifacts ? {} : {}) });
      const logger = memoryLogger();
      const server = await startFlowServer({ artifacts, connector, logger, port: 0, ...options });
      servers.push(server);
      return Object.assign(server, { logs: logger.lines });
    },
    async fixtures(...paths) {
      const files = await discoverArtifactFiles(paths);
      return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      await sim.close();
    },
  };
}

/** A request with a JSON body (or none), answered as status, headers and parsed JSON (or text). */
export async function call(url: string, init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
}

export const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
