// The one command-line parser of every `snconnect` command: node:util parseArgs in strict mode (an unknown or
// misspelt option is an error, a value option given last without its value is an error, never `true`), with
// errors turned into INVALID_PARAMETER naming the command. Plus the one reader of `name=value` operands
// (`invoke op name=value`, `run -p name=value`).
//
// Use it in a new command like this:
//   const { values, positionals } = parseCommandLine('serve', args, { port: { type: 'string' }, watch: { type: 'boolean' } });
//   if (values.help) ...                       // --help / -h is always known
//   const props = keyValuePairs('serve', values.property ?? [], '--property');
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConnectorError } from '../errors.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

type Config<O extends OptionSpecs> = { args: string[]; options: O & typeof HELP; strict: true; allowPositionals: true };

export interface CommandLine<O extends OptionSpecs> {
  /** Option values by long name; a `multiple: true` option is an array in the order given. */
  values: ReturnType<typeof parseArgs<Config<O>>>['values'];
  /** Operands that are not options, in order (`--` ends the options: what follows is an operand even if it starts with -). */
  positionals: string[];
}

/**
 * Parses `args` against `options` (long names; `short` letters allowed). Throws ConnectorError INVALID_PARAMETER
 * whose message starts with `<command>:` and names the option, for an unknown option, a missing value, or a value
 * given to a flag that takes none.
 */
export function parseCommandLine<const O extends OptionSpecs>(command: string, args: readonly string[], options: O): CommandLine<O> {
  const config = { args: [...args], options: { ...options, ...HELP }, strict: true, allowPositionals: true } as Config<O>;
  try {
    const { values, positionals } = parseArgs(config);
    return { values, positionals };
  } catch (err) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `${command}: ${describeParseError(err, config.options)}`, cause: err });
  }
}

/** node:util's messages, said in our words (they name the flag either way). */
function describeParseError(err: unknown, options: OptionSpecs): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  // node quotes the flag as '-p', '--sequence', '-p, --property <value>' or '--dryrun'.
  const quoted = /'(-[^']*)'/.exec(message)?.[1] ?? '';
  const written = quoted.split(/[, ]/)[0] ?? quoted;
  const known = Object.keys(options).map((name) => `--${name}`).join(', ');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${written} (options: ${known})`;
  const long = longName(written, options);
  const flag = long === written.replace(/^-+/, '') ? `--${long}` : `${written} (--${long})`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(message)) return `option ${flag} needs a value`;
    if (/ambiguous/.test(message)) return `option ${flag} needs a value (for a value starting with -, write --${long}=VALUE)`;
    if (/does not take an argument/.test(message)) return `option ${flag} takes no value`;
  }
  return message;
}

/** The long name of `-x` or `--name` among `options` (the text without dashes when none matches). */
function longName(written: string, options: OptionSpecs): string {
  const bare = written.replace(/^-+/, '');
  if (written.startsWith('--') || bare.length !== 1) return bare;
  return Object.entries(options).find(([, o]) => o.short === bare)?.[0] ?? bare;
}

/** Names that would reach an object's prototype if used as a key: refused in every name=value operand. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** Splits one `name=value` operand (the value may contain `=`); `what` names where it came from in the error. */
export function keyValue(command: string, operand: string, what: string): [string, string] {
  const at = operand.indexOf('=');
  if (at <= 0) throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: what, message: `${command}: ${what} expects name=value, got '${operand}'` });
  const name = operand.slice(0, at);
  if (UNSAFE_NAMES.has(name)) throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: name, message: `${command}: ${what} '${operand}': '${name}' cannot be used as a name` });
  return [name, operand.slice(at + 1)];
}

/** `name=value` operands into a record without a prototype; a later pair with the same name wins. */
export function keyValuePairs(command: string, operands: readonly string[], what: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const operand of operands) {
    const [name, value] = keyValue(command, operand, what);
    out[name] = value;
  }
  return out;
}
