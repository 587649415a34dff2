// `snconnect invoke <operation> name=value ...`: runs one operation and prints ServiceNow's JSON.
// Init parameters are given the same way or read from the environment variables the init operation declares.
import { nameValueRecord } from '../../context/index.js';
import { ConnectorError } from '../../errors.js';
import { loadConnector } from '../../invoke/index.js';
import { stderrLogger } from '../../logger.js';
import { keyValuePairs, parseCommandLine, type CommandLine } from '../args.js';
import { printError, printJson } from './cli-support.js';
import { openBinaryParameters, writeStreamedBody } from './binary-io.js';
import { RECORD_FORMATS, writeRecords, writeRecordStream, type RecordFormat } from './read.js';


const USAGE = `Usage: snconnect invoke <operation> name=value ... [--dry-run] [--format ndjson|json|csv] [--catalogue DIR] [--verbose]
  The init (connection) parameters are given as name=value too, or read from the environment
  variables the init operation declares (see \`snconnect operations init\`).
  Prints the response payload as JSON on stdout; on failure {"code","message","detail"} on stderr and exit 1.
  A binary parameter given as name=@FILE streams that file (uploadAttachment content=@photo.png); a streamed
  answer (downloadAttachment) is written to --output FILE, or to stdout as raw bytes.
  --format writes the records themselves (NDJSON lines, a JSON array or CSV). With all=true on an operation
  that can read every page, the records are written as the pages arrive (memory stays flat), with a
  progress line on stderr when it is a terminal; an incremental read (since=...) ends with its new
  watermark on stderr. CSV values starting with = + - @ (not plain numbers like -5), tab or CR get a leading '
  so a spreadsheet does not run them as formulas.
`;

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  catalogue: { type: 'string' },
  verbose: { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string' },
} as const;

export async function run(args: string[]): Promise<number> {
  let operation: string;
  let pairs: Record<string, string>;
  let flags: CommandLine<typeof OPTIONS>['values'];
  try {
    const parsed = parseCommandLine('invoke', args, OPTIONS);
    flags = parsed.values;
    if (flags.help || parsed.positionals.length === 0) {
      process.stdout.write(USAGE);
      return flags.help ? 0 : 1;
    }
    if (flags.format !== undefined && !RECORD_FORMATS.includes(flags.format as RecordFormat)) {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: '--format', message: `invoke: --format must be one of ${RECORD_FORMATS.join(', ')} (got ${flags.format})` });
    }
    operation = parsed.positionals[0]!;
    pairs = keyValuePairs(operation, parsed.positionals.slice(1), 'argument');
  } catch (err) {
    printError(err);
    return 1;
  }
  const format = flags.format as RecordFormat | undefined;
  const catalogue = flags.catalogue;
  try {
    const connector = await loadConnector({ dir: catalogue, logger: flags.verbose ? stderrLogger('debug') : undefined });
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
    const initParams = nameValueRecord();
    const opParams = nameValueRecord();
    const initNames = new Set<string>();
    for (const p of init.parameters) {
      for (const name of [p.name, ...(p.aliases ?? [])]) initNames.add(name);
      const fromEnv = p.env ? process.env[p.env] : undefined;
      if (fromEnv !== undefined && fromEnv !== '') initParams[p.name] = fromEnv;
    }
    for (const [name, value] of Object.entries(pairs)) {
      if (initNames.has(name) && !opNames.has(name)) initParams[name] = value;
      else opParams[name] = value;
    }
    // binary-io.ts: a binary parameter given as @path streams that file.
    await openBinaryParameters(op, opParams);
    const connection = connector.connect(initParams);
    try {
      const countTotal = process.stderr.isTTY === true;
      if (flags['dry-run']) {
        // The request the transport would send (an all-pages read: its first page), credential redacted; nothing is sent.
        printJson(connection.preview(operation, opParams, { countTotal }));
        return 0;
      }
      const allPages = op.paging?.allPagesParameter;
      if (allPages !== undefined && String(opParams[allPages]).toLowerCase() === 'true') {
        // All-pages read: streamed, never collected (ndjson unless another format is asked for).
        const summary = await writeRecordStream(connection.stream(operation, opParams, { countTotal }), format ?? 'ndjson');
        if (summary.watermark !== undefined) process.stderr.write(`watermark: ${summary.watermark}\n`);
        return 0;
      }
      const result = await connection.invoke(operation, opParams);
      if (result.body !== undefined) {
        // A streamed answer (a download): the bytes go to --output or stdout as they arrive.
        await writeStreamedBody(result.body, flags.output);
        return 0;
      }
      if (format !== undefined) {
        const records = recordsOf(result.payload, op.paging?.records ?? 'result');
        await writeRecords(records, format);
      } else if (result.payload !== undefined) printJson(result.payload);
      return 0;
    } finally {
      await connection.close();
    }
  } catch (err) {
    printError(err);
    return 1;
  }
}

/** The records of a single response for --format: the records member (an array, or one object), else the payload. */
function recordsOf(payload: unknown, member: string): Record<string, unknown>[] {
  const body = payload !== null && typeof payload === 'object' && !Array.isArray(payload) && member in payload ? (payload as Record<string, unknown>)[member] : payload;
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  return body !== null && typeof body === 'object' ? [body as Record<string, unknown>] : [];
}
