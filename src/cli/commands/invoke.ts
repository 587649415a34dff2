// `snconnect invoke <operation> name=value ...`: runs one operation and prints ServiceNow's JSON.
// Init parameters are given the same way or read from the environment variables the init operation declares.
import { ConnectorError } from '../../errors.js';
import { loadConnector } from '../../invoke/index.js';
import { stderrLogger } from '../../logger.js';
import { parseArgs, printError, printJson, unknownFlag } from './cli-support.js';
import { dryRunView } from './dry-run.js';

export const summary = 'Run one operation: invoke <operation> name=value ... [--dry-run] [--catalogue DIR]';

const USAGE = `Usage: snconnect invoke <operation> name=value ... [--dry-run] [--catalogue DIR] [--verbose]
  The init (connection) parameters are given as name=value too, or read from the environment
  variables the init operation declares (see \`snconnect operations init\`).
  Prints the response payload as JSON on stdout; on failure {"code","message","detail"} on stderr and exit 1.
`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ['catalogue']);
  if (parsed.flags['help'] || parsed.positional.length === 0) {
    process.stdout.write(USAGE);
    return parsed.flags['help'] ? 0 : 1;
  }
  const flag = unknownFlag(parsed, ['help', 'dry-run', 'catalogue', 'verbose']);
  if (flag !== undefined) {
    printError(new ConnectorError({ code: 'INVALID_PARAMETER', message: `invoke: unknown option --${flag} (options: --dry-run, --catalogue DIR, --verbose)` }));
    return 1;
  }
  const operation = parsed.positional[0]!;
  if (parsed.positional.length > 1) {
    printError(new ConnectorError({ code: 'INVALID_PARAMETER', operation, message: `${operation}: expected name=value arguments, got '${parsed.positional[1]}'` }));
    return 1;
  }
  const catalogue = typeof parsed.flags['catalogue'] === 'string' ? parsed.flags['catalogue'] : undefined;
  try {
    const connector = await loadConnector({ dir: catalogue, logger: parsed.flags['verbose'] ? stderrLogger('debug') : undefined });
    const init = connector.describeInit();
    const op = connector.describe(operation);
    if (!op || op === init) {
      throw new ConnectorError({
        code: 'INVALID_PARAMETER',
        operation,
        message: `unknown operation '${operation}' (operations: ${connector.operations().map((o) => o.name).join(', ')})`,
      });
    }
    const opNames = new Set(op.parameters.flatMap((p) => [p.name, ...(p.aliases ?? [])]));
    const initParams: Record<string, unknown> = {};
    const opParams: Record<string, unknown> = {};
    const initNames = new Set<string>();
    for (const p of init.parameters) {
      for (const name of [p.name, ...(p.aliases ?? [])]) initNames.add(name);
      const fromEnv = p.env ? process.env[p.env] : undefined;
      if (fromEnv !== undefined && fromEnv !== '') initParams[p.name] = fromEnv;
    }
    for (const [name, value] of Object.entries(parsed.pairs)) {
      if (initNames.has(name) && !opNames.has(name)) initParams[name] = value;
      else opParams[name] = value;
    }
    const connection = connector.connect(initParams);
    try {
      if (parsed.flags['dry-run']) {
        // dry-run.ts: URL, transport headers with the credential redacted, body (nothing is sent).
        printJson(await dryRunView(connection.prepare(operation, opParams), catalogue, initParams));
        return 0;
      }
      const result = await connection.invoke(operation, opParams);
      if (result.payload !== undefined) printJson(result.payload);
      return 0;
    } finally {
      await connection.close();
    }
  } catch (err) {
    printError(err);
    return 1;
  }
}
