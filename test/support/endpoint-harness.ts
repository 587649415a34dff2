// Shared set-up of the endpoint tests that serve artifacts: the real connector, a mock back end
// (mock-backend.ts), and FlowServers on 127.0.0.1 port 0 built from artifact texts, all closed at the end.
import { afterAll, beforeAll } from 'vitest';
import { buildArtifacts } from '../../src/artifacts/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { startFlowServer, type FlowServer } from '../../src/serve/index.js';
import { memoryLogger } from '../mediation/helpers.js';
import { closeEndpointConnections } from '../../src/mediation/endpoints/endpoint-call.js';
import { refusedUrl, startMockBackend, type MockBackend } from './mock-backend.js';

export interface EndpointHarness {
  connector: Connector;
  backend: MockBackend;
  /** Serves the artifact sources; the server's log lines are kept in `logs`. */
  serve(sources: { file: string; text: string }[], registry?: { key: string; text: string }[]): Promise<FlowServer & { logs: ReturnType<typeof memoryLogger>['lines'] }>;
  close(): Promise<void>;
}

export async function startEndpointHarness(): Promise<EndpointHarness> {
  const connector = await loadConnector();
  const backend = await startMockBackend();
  const servers: FlowServer[] = [];
  return {
    connector,
    backend,
    async serve(sources, registry) {
      const logger = memoryLogger();
      const server = await startFlowServer({ artifacts: buildArtifacts(sources, { connector, ...(registry ? { registry } : {}) }), connector, logger, port: 0 });
      servers.push(server);
      return Object.assign(server, { logs: logger.lines });
    },
    async close() {
      for (const s of servers) await s.close();
      await backend.close();
    },
  };
}

/** Starts the harness before the file's tests and closes it after; its fields are ready inside the tests. */
export function useEndpointHarness(): EndpointHarness {
  const h = {} as EndpointHarness;
  beforeAll(async () => Object.assign(h, await startEndpointHarness()));
  afterAll(() => h.close());
  return h;
}

/** For tests that run flows directly: the connector, a mock back end and a refused URL, ready inside the tests. */
export function useBackendForFlows(): { connector: Connector; backend: MockBackend; refused: string } {
  const s = {} as { connector: Connector; backend: MockBackend; refused: string };
  beforeAll(async () => Object.assign(s, { connector: await loadConnector(), backend: await startMockBackend(), refused: await refusedUrl() }));
  afterAll(async () => {
    await closeEndpointConnections();
    await s.backend.close();
  });
  return s;
}
