// `snconnect demo` (what `npm start` runs): starts the embedded ServiceNow simulator, runs the example
// flows of examples/ against it one after the other, and shows what each one did; then serves the alert example
// next to the demo's mocks (a SOAP asset register, a chat webhook) and walks through it over HTTP.
// `--serve` keeps everything up afterwards with examples/ served on --port, for trying it with curl.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCatalogueDir } from '../../catalogue/index.js';
import { MessageContext, type JsonValue } from '../../context/index.js';
import { loadConnector } from '../../invoke/index.js';
import type { Connector } from '../../invoke/types.js';
import { redact, type Logger } from '../../logger.js';
import { loadFlowFile, runFlow, type RunResult } from '../../mediation/index.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { ConnectorError } from '../../errors.js';
import { parseCommandLine } from '../args.js';
import { printError } from './cli-support.js';
import { loadArtifacts } from '../../artifacts/index.js';
import { startFlowServer } from '../../serve/index.js';
import { readWalkthrough, runWalkthrough, startDemoBackEnds, type DemoBackEnds } from '../demo/served-walkthrough.js';
import { untilStopSignal } from '../stop-signal.js';


/** Walk-throughs of served examples (examples/data/<name>), run after the flows above. */
const WALKTHROUGHS = ['data/monitoring-alert-walkthrough.json'];

const USAGE = `Usage: snconnect demo [--serve] [--port 8290]
  Starts the embedded ServiceNow simulator, runs the flows of examples/ against it and prints what they did, then
  serves examples/monitoring-alert-api.xml next to a mock SOAP asset register and a mock chat webhook and calls it.
  --serve    afterwards keep the simulator, the mocks and examples/ (served on --port) running until Ctrl+C
  --port N   port of the served examples with --serve (default 8290)
`;

interface Example {
  title: string;
  file: string;
  payloadFile?: string;
  /** Prints what the flow did, from its final payload and, as a cross-check, from the simulator's tables. */
  report(payload: unknown, sim: RunningSimulator): string[];
}

const EXAMPLES: Example[] = [
  {
    title: 'Bulk-load incidents through the Import Set API',
    file: 'bulk-import-incidents.xml',
    payloadFile: 'data/incident-import.json',
    report(payload) {
      const p = payload as { rows: number; inserted: number; updated: number; errors: number; results: Record<string, unknown>[] };
      const lines = p.results.map(
        (r) => `row ${String(r.row).padEnd(3)} ${String(r.correlation_id).padEnd(10)} ${String(r.status).padEnd(9)} ${String(r.record || '-').padEnd(11)} ${r.message ?? ''}`,
      );
      return [...lines, `=> ${p.rows} row(s): ${p.inserted} inserted, ${p.updated} updated, ${p.errors} in error`];
    },
  },
  {
    title: 'Sync open P1 incidents into problem records',
    file: 'sync-p1-incidents.xml',
    report(payload, sim) {
      const p = payload as { linked: number; links: { incident: string; problem: string }[] };
      const lines = p.links.map((l) => {
        const problem = sim.db.list('problem', `number=${l.problem}`)[0];
        return `${l.incident} -> ${l.problem}  "${String(problem?.short_description ?? '')}"`;
      });
      const left = sim.db.count('incident', 'active=true^priority=1^problem_idISEMPTY');
      return [...lines, `=> ${p.linked} incident(s) linked to a new problem; open P1 incidents without a problem now: ${left}`];
    },
  },
  {
    title: 'Daily count of incidents by priority and state (Aggregate API)',
    file: 'incident-stats.xml',
    report(payload) {
      const p = payload as { query: string; groups: { priority: string; state: string; count: number }[] };
      return [`query: ${p.query}`, ...matrix(p.groups), `=> ${p.groups.reduce((n, g) => n + g.count, 0)} incident(s) in ${p.groups.length} group(s)`];
    },
  },
  {
    title: 'Order a catalog item and follow its request until fulfilled (Service Catalog API)',
    file: 'order-catalog-item.xml',
    report(payload, sim) {
      const p = payload as { item: string; request: string; reached: boolean; polls: number; items: Array<{ number: { value: string }; state: { display_value: string } }> };
      const request = sim.db.list('sc_request', `number=${p.request}`)[0];
      const lines = p.items.map((i) => `${i.number.value}  ${i.state.display_value}`);
      return [`${p.item} -> ${p.request} (request state now: ${String(request?.request_state ?? '?')})`, ...lines, `=> ${p.reached ? 'every item reached the target state' : 'not every item reached the target state'} after ${p.polls} read(s)`];
    },
  },
];

export async function run(args: string[]): Promise<number> {
  let help: boolean;
  let keepServing: boolean;
  let port: number;
  try {
    const { values, positionals } = parseCommandLine('demo', args, { serve: { type: 'boolean' }, port: { type: 'string' } });
    if (positionals.length > 0) throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `demo: takes no arguments, got '${positionals[0]}'` });
    help = values.help === true;
    keepServing = values.serve === true;
    port = Number(values.port ?? '8290');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `demo: --port must be a port number from 0 to 65535, not '${values.port}'` });
    if (values.port !== undefined && !keepServing) throw new ConnectorError({ code: 'INVALID_PARAMETER', message: 'demo: --port is the port of --serve; give --serve too' });
  } catch (err) {
    printError(err);
    return 1;
  }
  if (help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const out = (line = '') => process.stdout.write(line + '\n');
  let sim: RunningSimulator | undefined;
  let backEnds: DemoBackEnds | undefined;
  try {
    sim = await startSimulator({ port: 0 });
    const connector = await loadConnector();
    const examplesDir = join(defaultCatalogueDir(), 'examples');
    out('snconnect demo: WSO2-style ServiceNow flows against the embedded simulator');
    out(`Simulator listening on ${sim.url} (seeded demo instance, user admin)`);
    let failures = 0;
    for (const [i, example] of EXAMPLES.entries()) {
      out();
      out(`${i + 1}. ${example.title}`);
      out(`   examples/${example.file}${example.payloadFile ? ` with the payload examples/${example.payloadFile}` : ''}`);
      const started = performance.now();
      const result = await runExample(example, examplesDir, connector, sim, (line) => out(`   | ${line}`));
      const ms = Math.round(performance.now() - started);
      if (result.outcome === 'fault') {
        failures++;
        out(`   FAILED after ${ms} ms: ${result.error?.code} ${result.error?.message}`);
        continue;
      }
      for (const line of example.report(result.context.payload, sim)) out(`   ${line}`);
      out(`   (${result.outcome} in ${ms} ms)`);
    }
    backEnds = await startDemoBackEnds({ url: sim.url, username: 'admin', password: 'admin' });
    for (const [i, file] of WALKTHROUGHS.entries()) {
      const walk = await readWalkthrough(join(examplesDir, file));
      out();
      out(`${EXAMPLES.length + i + 1}. ${walk.title}`);
      out(`   examples/${walk.file} served, called over HTTP (the walk-through: examples/${file})`);
      const started = performance.now();
      const wrong = await runWalkthrough(walk, { examplesDir, connector, backEnds, instance: { url: sim.url, authorization: ADMIN_AUTHORIZATION }, logger: demoLogger((line) => out(`   | ${line}`), 'info'), print: (line) => out(line === '' ? '' : `   ${line}`) });
      if (wrong > 0) {
        failures++;
        out(`   FAILED: ${wrong} call(s) did not answer as documented`);
      } else out(`   (every call answered as documented, ${Math.round(performance.now() - started)} ms)`);
    }
    const total = EXAMPLES.length + WALKTHROUGHS.length;
    out();
    const stats = sim.stats();
    const routes = Object.entries(stats.byRoute).map(([route, n]) => `${n} x ${route}`).join(', ');
    out(`${total - failures} of ${total} flows completed; the simulator served ${stats.totalRequests} request(s): ${routes}.`);
    out('Run one yourself: snconnect run examples/<file>.xml -p serviceNowInstanceURL=... -p username=... -p password=...');
    if (keepServing) await serveUntilStopped(examplesDir, connector, backEnds, port, out);
    return failures === 0 ? 0 : 1;
  } catch (err) {
    printError(err);
    return 1;
  } finally {
    await backEnds?.close();
    await sim?.close();
  }
}

const ADMIN_AUTHORIZATION = 'Basic ' + Buffer.from('admin:admin').toString('base64');

/** --serve: every example of examples/ served on `port` against the simulator and the mocks, until Ctrl+C. */
async function serveUntilStopped(examplesDir: string, connector: Connector, backEnds: DemoBackEnds, port: number, out: (line?: string) => void): Promise<void> {
  const artifacts = await loadArtifacts([examplesDir], { connector });
  const server = await startFlowServer({ artifacts, connector, port, properties: backEnds.properties, logger: demoLogger((line) => out(`  | ${line}`), 'info') });
  const p = backEnds.properties;
  out();
  out(`Serving examples/ on ${server.url} until Ctrl+C; the same as:`);
  out(`  snconnect serve examples/ --port ${new URL(server.url).port} -p serviceNowInstanceURL=${p['serviceNowInstanceURL']} -p username=admin -p password=admin \\`);
  out(`    -p assetRegisterUrl=${p['assetRegisterUrl']} -p chatWebhookUrl=${p['chatWebhookUrl']}`);
  out('Try:');
  out(`  curl -s -X POST ${server.url}/monitoring/alerts -H 'Content-Type: application/json' -d '{"host": "oradb01", "severity": "warning", "summary": "tablespace USERS 91% full"}'`);
  out(`  curl -s ${backEnds.chat.url}/messages              # what the chat webhook received`);
  out(`  curl -s -X POST ${server.url}/intake/incidents -H 'Content-Type: application/json' -d '{"shortDescription": "VPN down"}'`);
  await untilStopSignal();
  await server.close();
}

/** Log lines printed as the demo's own; `least` leaves out the levels below it (a served flow's debug lines). */
function demoLogger(print: (line: string) => void, least: 'debug' | 'info' = 'debug'): Logger {
  return {
    log(level, message, fields) {
      if (least === 'info' && level === 'debug') return;
      const tail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(redact(fields))}` : '';
      print(`${level === 'info' ? '' : level.toUpperCase() + ' '}${message}${tail}`);
    },
  };
}

async function runExample(example: Example, dir: string, connector: Connector, sim: RunningSimulator, print: (line: string) => void): Promise<RunResult> {
  const { flow } = await loadFlowFile(join(dir, example.file), connector);
  const context = new MessageContext({
    properties: { serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' },
  });
  if (example.payloadFile) context.payload = JSON.parse(await readFile(join(dir, example.payloadFile), 'utf8')) as JsonValue;
  return runFlow(flow, { connector, context, logger: demoLogger(print) });
}

/** A priority x state table of counts. */
function matrix(rawGroups: { priority: string; state: string; count: number }[]): string[] {
  const groups = rawGroups.map((g) => ({ ...g, priority: g.priority || '(none)', state: g.state || '(none)' }));
  const priorities = [...new Set(groups.map((g) => g.priority))];
  const states = [...new Set(groups.map((g) => g.state))];
  const width = Math.max(8, ...priorities.map((p) => p.length));
  const cols = states.map((s) => Math.max(s.length, 3));
  const head = ''.padEnd(width) + states.map((s, i) => '  ' + s.padStart(cols[i]!)).join('');
  const rows = priorities.map(
    (p) => p.padEnd(width) + states.map((s, i) => '  ' + String(groups.find((g) => g.priority === p && g.state === s)?.count ?? '.').padStart(cols[i]!)).join(''),
  );
  return [head, ...rows];
}
