// `snconnect run <file.xml>`: runs a sequence file against the connector, prints the final payload as JSON
// on stdout, logs to stderr; exit 0 when the flow completes (or responds/drops), 1 when it ends in a fault.
import { readFile } from 'node:fs/promises';
import { MessageContext, type JsonValue } from '../../context/index.js';
import { ConnectorError } from '../../errors.js';
import { loadConnector } from '../../invoke/index.js';
import { stderrLogger, type LogLevel } from '../../logger.js';
import { formatIssues, loadFlowFile, runFlow } from '../../mediation/index.js';
import { keyValuePairs, parseCommandLine } from '../args.js';
import { printError, printJson } from './cli-support.js';
import { redact } from '../../redact.js';


const USAGE = `Usage: snconnect run <file.xml> [options]
  --sequence NAME      sequence to run (default: "main", else the first in the file)
  -p, --property K=V   set a message property ({$ctx:K}); repeatable
  --payload FILE|-     initial payload: a JSON file, or - for stdin (text that is not JSON is kept as text)
  --catalogue DIR      use another operation catalogue
  --log-level LEVEL    debug | info | warn | error (default info)
Prints the final payload as JSON on stdout and logs on stderr. Exit 0 on success, 1 when the flow ends in a fault.
`;

interface RunArgs {
  file?: string;
  sequence?: string;
  properties: Record<string, string>;
  payload?: string;
  catalogue?: string;
  logLevel: LogLevel;
  help: boolean;
}

export async function run(args: string[]): Promise<number> {
  let parsed: RunArgs;
  try {
    parsed = parseRunArgs(args);
  } catch (err) {
    printError(err);
    process.stderr.write(USAGE);
    return 1;
  }
  if (parsed.help || !parsed.file) {
    (parsed.help ? process.stdout : process.stderr).write(USAGE);
    return parsed.help ? 0 : 1;
  }
  const logger = stderrLogger(parsed.logLevel);
  try {
    const connector = await loadConnector({ ...(parsed.catalogue ? { dir: parsed.catalogue } : {}), logger });
    const { flow, warnings } = await loadFlowFile(parsed.file, connector);
    if (warnings.length > 0) process.stderr.write(formatIssues(warnings) + '\n');
    const context = new MessageContext({ properties: parsed.properties });
    if (parsed.payload !== undefined) await loadPayload(context, parsed.payload);
    const result = await runFlow(flow, { connector, context, logger, ...(parsed.sequence ? { sequence: parsed.sequence } : {}) });
    // After a fault the payload may still be the input, which in WSO2-style flows carries the credentials:
    // printed redacted (secret-named members and known secret values masked).
    if (result.context.payload !== undefined) printJson(result.outcome === 'fault' ? redact(result.context.payload) : result.context.payload);
    if (result.outcome === 'fault') {
      printError(result.error);
      return 1;
    }
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  }
}

const OPTIONS = {
  sequence: { type: 'string' },
  property: { type: 'string', short: 'p', multiple: true },
  payload: { type: 'string' },
  catalogue: { type: 'string' },
  'log-level': { type: 'string' },
} as const;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function parseRunArgs(args: readonly string[]): RunArgs {
  const { values, positionals } = parseCommandLine('run', args, OPTIONS);
  const level = values['log-level'] ?? 'info';
  if (!LOG_LEVELS.includes(level as LogLevel)) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: '--log-level', message: `run: --log-level must be debug, info, warn or error, not '${level}'` });
  }
  if (positionals.length > 1) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `run: only one sequence file can be given (got '${positionals[0]}' and '${positionals[1]}')` });
  }
  return {
    properties: keyValuePairs('run', values.property ?? [], '--property'),
    logLevel: level as LogLevel,
    help: values.help === true,
    ...(positionals[0] !== undefined ? { file: positionals[0] } : {}),
    ...(values.sequence !== undefined ? { sequence: values.sequence } : {}),
    ...(values.payload !== undefined ? { payload: values.payload } : {}),
    ...(values.catalogue !== undefined ? { catalogue: values.catalogue } : {}),
  };
}

async function loadPayload(context: MessageContext, source: string): Promise<void> {
  let text: string;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (err) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: '--payload', message: `run: cannot read payload ${source}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
  }
  try {
    context.payload = JSON.parse(text) as JsonValue;
    context.contentType = 'application/json';
  } catch {
    context.payload = text;
    context.contentType = 'text/plain';
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
