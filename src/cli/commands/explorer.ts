// `snconnect explorer`: the web explorer on 127.0.0.1 (default port 8291). Requests go to the embedded simulator
// unless an instance is configured (--instance, SN_INSTANCE_URL and the other init variables, or -p name=value).
import { parseCommandLine, keyValuePairs } from '../args.js';
import { createExplorer, startExplorer } from '../../explorer/index.js';
import { loadConnector } from '../../invoke/index.js';
import type { Connector } from '../../invoke/types.js';
import type { FlowServer } from '../../serve/index.js';
import { DEMO_USERS, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { printError } from './cli-support.js';
import { untilStopSignal } from '../stop-signal.js';


const USAGE = `Usage: snconnect explorer [--port 8291] [--flows DIR] [--instance URL] [-p name=value ...] [--catalogue DIR]
  Serves the explorer on http://127.0.0.1:PORT/ (this machine only): every operation as a form, the request it
  would send, the answer, all-pages reads with NDJSON/CSV downloads, samples, and flow runs step by step.
  Requests go to an embedded simulator unless an instance is configured:
  --instance URL       the instance (or SN_INSTANCE_URL); credentials from SN_USERNAME/SN_PASSWORD or -p
  -p, --param K=V      an init (connection) parameter, repeatable (e.g. -p authType=oauth2 -p clientId=...)
  --flows DIR          folder whose *.xml sequence files can be run (default: the current folder)
  --port N             port to listen on (default 8291; 0 picks a free one)
  --catalogue DIR      use another operation catalogue
`;

const OPTIONS = {
  port: { type: 'string' },
  flows: { type: 'string' },
  instance: { type: 'string' },
  param: { type: 'string', short: 'p', multiple: true },
  catalogue: { type: 'string' },
} as const;

export interface ExplorerTarget {
  init: Record<string, unknown>;
  /** The embedded simulator, started when no instance is configured; the caller closes it. */
  simulator?: RunningSimulator;
  label: string;
}

/**
 * Where the explorer sends requests: the instance of the init variables the init operation declares (SN_INSTANCE_URL,
 * ...), of -p name=value and --instance; without one, an embedded simulator with its demo user.
 */
export async function explorerTarget(connector: Connector, params: readonly string[], instance: string | undefined): Promise<ExplorerTarget> {
  const init: Record<string, unknown> = {};
  for (const p of connector.describeInit().parameters) if (p.env && process.env[p.env]) init[p.name] = process.env[p.env];
  Object.assign(init, keyValuePairs('explorer', params, '--param'));
  if (instance) init['serviceNowInstanceURL'] = instance;
  if (init['serviceNowInstanceURL'] !== undefined) return { init, label: String(init['serviceNowInstanceURL']) };
  const simulator = await startSimulator({ port: 0 });
  const demo = DEMO_USERS[0]!;
  Object.assign(init, { serviceNowInstanceURL: simulator.url, username: demo.userName, password: demo.password });
  return { init, simulator, label: `the embedded simulator ${simulator.url}` };
}

/** `serve --explorer`: the explorer mounted at /explorer of a flow server, its flows folder the first served path. */
export async function mountExplorer(server: FlowServer, connector: Connector, flowsDir: string | undefined, catalogue: string | undefined): Promise<{ close(): Promise<void>; label: string }> {
  const target = await explorerTarget(connector, [], undefined);
  const handler = await createExplorer({
    connector,
    ...(catalogue ? { catalogueDir: catalogue } : {}),
    connection: target.init,
    embeddedSimulator: target.simulator !== undefined,
    ...(flowsDir ? { flowsDir } : {}),
    basePath: EXPLORER_PATH,
  });
  server.mount(EXPLORER_PATH, async (req, res) => {
    if (await handler.handle(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no explorer page at ${req.url ?? ''}` } }));
  });
  return {
    label: target.label,
    close: async () => {
      await handler.close();
      await target.simulator?.close();
    },
  };
}

export const EXPLORER_PATH = '/explorer';

export async function run(args: string[]): Promise<number> {
  let sim: RunningSimulator | undefined;
  try {
    const { values, positionals } = parseCommandLine('explorer', args, OPTIONS);
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 0) {
      process.stderr.write(`snconnect explorer: unexpected argument '${positionals[0]}'\n${USAGE}`);
      return 1;
    }
    const port = values.port === undefined ? 8291 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`snconnect explorer: --port must be a port number, not '${values.port}'\n`);
      return 1;
    }
    const connector = await loadConnector(values.catalogue ? { dir: values.catalogue } : {});
    const target = await explorerTarget(connector, values.param ?? [], values.instance);
    sim = target.simulator;
    const explorer = await startExplorer({
      connector,
      ...(values.catalogue ? { catalogueDir: values.catalogue } : {}),
      connection: target.init,
      embeddedSimulator: target.simulator !== undefined,
      flowsDir: values.flows ?? process.cwd(),
      port,
    });
    process.stdout.write(`snconnect explorer on ${explorer.url}  (requests go to ${target.label}; Ctrl+C stops)\n`);
    await untilStopSignal();
    await explorer.close();
    return 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') process.stderr.write(`snconnect explorer: cannot listen (${code}); choose another --port\n`);
    else printError(err);
    return 1;
  } finally {
    await sim?.close();
  }
}
