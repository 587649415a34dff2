// Shared bits of the invoke/operations/validate commands: option parsing and error printing.
import { isConnectorError } from '../../errors.js';
import { redact, redactText } from '../../logger.js';

export interface ParsedArgs {
  positional: string[];
  /** name=value pairs, in order; a later pair with the same name wins. */
  pairs: Record<string, string>;
  flags: Record<string, string | true>;
}

/** `--flag`, `--flag=value`, `--flag value` for the known value flags, `name=value`, and plain words. */
export function parseArgs(args: readonly string[], valueFlags: readonly string[] = []): ParsedArgs {
  const out: ParsedArgs = { positional: [], pairs: {}, flags: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) out.flags[name] = arg.slice(eq + 1);
      else if (valueFlags.includes(name) && i + 1 < args.length) out.flags[name] = args[++i]!;
      else out.flags[name] = true;
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0 && out.positional.length > 0) out.pairs[arg.slice(0, eq)] = arg.slice(eq + 1);
    else out.positional.push(arg);
  }
  return out;
}

/** The first flag not in `known`, if any (so a typo like --dryrun is not silently ignored). */
export function unknownFlag(parsed: ParsedArgs, known: readonly string[]): string | undefined {
  return Object.keys(parsed.flags).find((f) => !known.includes(f));
}

/** Prints `{"code","message","detail",...}` on stderr; never a stack, never a secret. */
export function printError(err: unknown): void {
  const body = isConnectorError(err)
    ? err.toJSON()
    : { code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err), detail: null };
  process.stderr.write(redactText(JSON.stringify(redact(body))) + '\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
