// `snconnect operations [name]`: the catalogue's operations, or one operation's parameters.
import { ConnectorError } from '../../errors.js';
import { loadConnector } from '../../invoke/index.js';
import type { OperationInfo, ParameterInfo } from '../../invoke/index.js';
import { parseCommandLine } from '../args.js';
import { printError, printJson } from './cli-support.js';


export async function run(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine('operations', args, { catalogue: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) {
      process.stdout.write('Usage: snconnect operations [name] [--json] [--catalogue DIR]\n');
      return 0;
    }
    if (positionals.length > 1) throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `operations: expected at most one operation name, got '${positionals[1]}' too` });
    const json = values.json === true;
    const connector = await loadConnector({ dir: values.catalogue });
    const name = positionals[0];
    if (name === undefined) {
      const all = [connector.describeInit(), ...connector.operations()].filter((o): o is OperationInfo => o !== undefined);
      if (json) printJson(all);
      else process.stdout.write(listing(connector.name, connector.version, all));
      return 0;
    }
    const op = connector.describe(name);
    if (!op) {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: name, message: `unknown operation '${name}' (operations: ${connector.operations().map((o) => o.name).join(', ')})` });
    }
    if (json) printJson(op);
    else process.stdout.write(details(op));
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  }
}

function listing(name: string, version: string, ops: OperationInfo[]): string {
  const width = Math.max(...ops.map((o) => o.name.length)) + 2;
  const lines = [`${name} ${version}`, ''];
  for (const op of ops) {
    const aliases = op.aliases.length > 0 ? ` (alias ${op.aliases.join(', ')})` : '';
    lines.push(`${op.name.padEnd(width)}${op.call ?? 'connection settings'}${aliases}`);
    lines.push(`${''.padEnd(width)}${op.description}`);
  }
  lines.push('', 'Run `snconnect operations <name>` for the parameters of one operation.');
  return lines.join('\n') + '\n';
}

function details(op: OperationInfo): string {
  const lines = [`${op.name}${op.aliases.length > 0 ? ` (alias ${op.aliases.join(', ')})` : ''}`, op.description];
  if (op.call) lines.push(`Call: ${op.call}`);
  lines.push('', 'Parameters:');
  const width = Math.max(...op.parameters.map((p) => p.name.length)) + 2;
  for (const p of op.parameters) lines.push(`  ${p.name.padEnd(width)}${constraints(p)}`, `  ${''.padEnd(width)}${p.description}`);
  return lines.join('\n') + '\n';
}

function constraints(p: ParameterInfo): string {
  const parts: string[] = [p.type === 'json' ? `json ${p.shape ?? 'object'}` : p.type];
  if (p.required) parts.push('required');
  if (p.requiredWhen) parts.push(`required when ${p.requiredWhen}`);
  if (p.default !== undefined) parts.push(`default ${p.default}`);
  if (p.enum) parts.push(`one of ${p.enum.join('|')}`);
  if (p.pattern) parts.push(`pattern ${p.pattern}`);
  if (p.minimum !== undefined) parts.push(`min ${p.minimum}`);
  if (p.maximum !== undefined) parts.push(`max ${p.maximum}`);
  if (p.aliases?.length) parts.push(`also ${p.aliases.join(', ')}`);
  if (p.env) parts.push(`env ${p.env}`);
  if (p.secret) parts.push('secret');
  return parts.join(', ');
}
