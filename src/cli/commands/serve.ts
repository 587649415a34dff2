// `snconnect serve <path...>`: loads every artifact (APIs, proxies, sequences, tasks, ...) from files, folders or
// WSO2 MI projects and serves them over HTTP until SIGTERM/SIGINT, then drains: stops accepting, lets running
// flows finish within the grace period, and exits 0.
import { loadArtifacts } from '../../artifacts/index.js';
import { ConnectorError } from '../../errors.js';
import { loadConnector } from '../../invoke/index.js';
import { stderrLogger, type LogLevel } from '../../logger.js';
import { formatIssues } from '../../mediation/index.js';
import { startFlowServer, type FlowServer } from '../../serve/index.js';
import type { MessageProcessorConfig } from '../../store/index.js';
import { keyValuePairs, parseCommandLine } from '../args.js';
import { printError } from './cli-support.js';


const USAGE = `Usage: snconnect serve <path>... [options]
  <path>               artifact files, folders of them, or WSO2 MI project folders
                       (src/main/wso2mi/artifacts/..., src/main/synapse-config/...)
  --port N             port to listen on (default 8290; 0 picks a free one)
  --host ADDR          address to listen on (default 127.0.0.1)
  --property K=V, -p   a message property every flow starts with ({$ctx:K}); repeatable
  --lenient            load what can be loaded: unknown artifacts and mediators are reported, the rest is served
                       (a message that reaches an unsupported mediator faults)
  --max-body SIZE      largest request body (default 10mb; e.g. 512kb, 1048576); larger ones get 413
  --grace SECONDS      on SIGTERM/SIGINT, how long running flows may finish (default 10)
  --no-access-log      no line per request on stderr
  --catalogue DIR      use another operation catalogue
  --log-level LEVEL    debug | info | warn | error (default info)
  --explorer           also serve the web explorer at /explorer/ (operations as forms, flows of the first path
                       run step by step); requests go to SN_INSTANCE_URL, else to an embedded simulator
Endpoints: every <api> at its context, every <proxy> at /services/<name>; GET /health, /ready, /metrics.
`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  property: { type: 'string', short: 'p', multiple: true },
  lenient: { type: 'boolean' },
  'max-body': { type: 'string' },
  grace: { type: 'string' },
  'no-access-log': { type: 'boolean' },
  catalogue: { type: 'string' },
  'log-level': { type: 'string' },
  explorer: { type: 'boolean' },
} as const;

export async function run(args: string[]): Promise<number> {
  let server: FlowServer;
  let explorer: { close(): Promise<void>; label: string } | undefined;
  try {
    const { values, positionals } = parseCommandLine('serve', args, OPTIONS);
    if (values.help || positionals.length === 0) {
      (values.help ? process.stdout : process.stderr).write(USAGE);
      return values.help ? 0 : 1;
    }
    const level = (values['log-level'] ?? 'info') as LogLevel;
    if (!['debug', 'info', 'warn', 'error'].includes(level)) throw invalid('--log-level', `must be debug, info, warn or error, not '${level}'`);
    const port = integer('--port', values.port ?? '8290', 0, 65535);
    const grace = Number(values.grace ?? '10');
    if (!(grace >= 0)) throw invalid('--grace', `must be a number of seconds, not '${values.grace}'`);
    const maxBody = byteSize(values['max-body'] ?? '10mb');
    const properties = keyValuePairs('serve', values.property ?? [], '--property');
    const logger = stderrLogger(level);
    const connector = await loadConnector({ ...(values.catalogue ? { dir: values.catalogue } : {}), logger });
    const artifacts = await loadArtifacts(positionals, { connector, lenient: values.lenient ?? false });
    if (artifacts.warnings.length > 0) process.stderr.write(formatIssues(artifacts.warnings) + '\n');
    server = await startFlowServer({
      artifacts,
      connector,
      logger,
      port,
      host: values.host ?? '127.0.0.1',
      maxBodyBytes: maxBody,
      graceMs: grace * 1000,
      properties,
      ...(values['no-access-log'] ? {} : { accessLog: (line: string) => process.stderr.write(line + '\n') }),
    });
    process.stderr.write(banner(server, artifacts));
    if (values.explorer) {
      const { mountExplorer, EXPLORER_PATH } = await import('./explorer.js');
      explorer = await mountExplorer(server, connector, positionals[0], values.catalogue);
      process.stderr.write(`  explorer: ${server.url}${EXPLORER_PATH}/ (requests go to ${explorer.label})\n`);
    }
  } catch (err) {
    printError(err);
    return 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        process.stderr.write(`snconnect serve: ${signal} again, exiting now\n`);
        resolve(1);
        return;
      }
      stopping = true;
      process.stderr.write(`snconnect serve: ${signal}: draining (running flows may finish)\n`);
      server.close().then(() => explorer?.close()).then(
        () => resolve(0),
        (err: unknown) => {
          printError(err);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

function banner(server: FlowServer, artifacts: Awaited<ReturnType<typeof loadArtifacts>>): string {
  const lines = [`snconnect serve: listening on ${server.url} (${artifacts.apis.length} API(s), ${artifacts.proxies.length} proxy service(s), ${artifacts.tasks.length} task(s))`];
  for (const api of artifacts.apis) {
    for (const r of api.resources) lines.push(`  ${(r.methods.join(',') || '*').padEnd(12)} ${api.context}${r.uriTemplate ?? r.urlMapping ?? '/*'}   (api ${api.name})`);
  }
  for (const p of artifacts.proxies) lines.push(`  ${'*'.padEnd(12)} /services/${p.name}   (proxy)`);
  for (const p of (artifacts.extensions.get('messageProcessor') ?? []) as MessageProcessorConfig[]) {
    lines.push(`  processor ${p.name}: store ${p.messageStore} -> ${p.targetEndpoint ?? p.parameters['sequence'] ?? p.parameters['target.endpoint'] ?? '?'}`);
  }
  for (const t of artifacts.tasks) lines.push(`  task ${t.name}: ${'interval' in t.trigger ? `every ${t.trigger.interval}s` : 'cron' in t.trigger ? `cron ${t.trigger.cron}` : 'once'} -> ${t.sequence}`);
  return lines.join('\n') + '\n';
}

function invalid(option: string, problem: string): ConnectorError {
  return new ConnectorError({ code: 'INVALID_PARAMETER', parameter: option, message: `serve: ${option} ${problem}` });
}

function integer(option: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(option, `must be a whole number from ${min} to ${max}, not '${text}'`);
  return n;
}

/** "10mb", "512kb", "1048576" -> bytes. */
function byteSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!m) throw invalid('--max-body', `must be a size such as 512kb, 10mb or a number of bytes, not '${text}'`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
}
