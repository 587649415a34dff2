// A running simulator and a connection to it through the real runtime, per test file.
import { afterAll, beforeAll } from 'vitest';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connection, Connector } from '../../src/invoke/index.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

export interface Harness {
  sim: RunningSimulator;
  connector: Connector;
  conn: Connection;
  /** Opens another connection (closed after the file). */
  connect(extra?: Record<string, unknown>): Connection;
  initParams(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Requests the simulator saw for the /api/ paths, oldest first. */
  apiRequests(): ReturnType<RunningSimulator['requests']>;
}

/** Retries off by default so error-mapping tests see the first answer. `simulator`: its seed, generated rows... */
export function useSimulator(options: { dir?: string; simulator?: Omit<SimulatorOptions, 'port'> } = {}): Harness {
  const harness = {} as Harness;
  const opened: Connection[] = [];
  beforeAll(async () => {
    harness.sim = await startSimulator({ ...options.simulator, port: 0 });
    harness.connector = await loadConnector({ dir: options.dir });
    harness.initParams = (extra = {}) => ({
      serviceNowInstanceURL: harness.sim.url,
      username: 'admin',
      password: 'admin',
      maxRetries: 0,
      ...extra,
    });
    harness.connect = (extra = {}) => {
      const c = harness.connector.connect(harness.initParams(extra));
      opened.push(c);
      return c;
    };
    harness.conn = harness.connect();
    harness.apiRequests = () => harness.sim.requests().filter((r) => r.path.startsWith('/api/'));
  });
  afterAll(async () => {
    for (const c of opened) await c.close();
    await harness.sim?.close();
  });
  return harness;
}

export type Row = Record<string, unknown>;

export function resultOf(payload: unknown): unknown {
  return (payload as { result: unknown }).result;
}

export function rowsOf(payload: unknown): Row[] {
  return resultOf(payload) as Row[];
}
