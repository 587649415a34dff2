// Shared set-up for the mediation tests: one simulator per test file, the real connector, and a
// logger that keeps lines in memory so tests can look at what <log> wrote.
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import type { Logger, LogLevel } from '../../src/logger.js';
import { MessageContext } from '../../src/context/index.js';
import { prepareFlow, runFlow, type RunResult } from '../../src/mediation/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

export interface LogLine {
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    log(level, message, fields) {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    },
  };
}

export interface Harness {
  sim: RunningSimulator;
  connector: Connector;
  /** Parses, validates and runs `xml`; properties are set on a fresh context with the simulator's URL and admin credentials. */
  run(xml: string, options?: { sequence?: string; properties?: Record<string, unknown>; payload?: unknown }): Promise<RunResult & { logs: LogLine[] }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const sim = await startSimulator({ port: 0 });
  const connector = await loadConnector();
  return {
    sim,
    connector,
    async run(xml, options = {}) {
      const { flow } = prepareFlow(xml, 'test.xml', connector);
      const context = new MessageContext({
        properties: { instanceURL: sim.url, user: 'admin', pass: 'admin', ...options.properties },
        ...(options.payload !== undefined ? { payload: options.payload as never } : {}),
      });
      const logger = memoryLogger();
      const result = await runFlow(flow, { connector, context, logger, ...(options.sequence ? { sequence: options.sequence } : {}) });
      return { ...result, logs: logger.lines };
    },
    close: () => sim.close(),
  };
}

/** The init every test sequence uses: credentials from properties, as a real flow does. */
export const INIT = `<servicenow.init>
      <serviceNowInstanceURL>{$ctx:instanceURL}</serviceNowInstanceURL>
      <username>{$ctx:user}</username>
      <password>{$ctx:pass}</password>
    </servicenow.init>`;

export function seq(body: string, attrs = 'name="main"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sequence ${attrs} xmlns="http://ws.apache.org/ns/synapse">\n${body}\n</sequence>`;
}
