// Binds the values given for an invocation to the operation's declared parameters: resolves aliases and
// (when the caller asked for it by passing a context) expressions, parses JSON text for json parameters, drops unset values and applies defaults.
import type { CompiledOperation, ParameterDescriptor } from '../catalogue/index.js';
import { assertSafeKey, evaluateValue, type MessageContext } from '../context/index.js';
import { ConnectorError } from '../errors.js';
import { readNumber } from '../number-rule.js';
import { describeValue } from './describe-value.js';

export function bindParameters(
  op: CompiledOperation,
  given: Readonly<Record<string, unknown>>,
  context: MessageContext | undefined,
): Record<string, unknown> {
  const name = op.descriptor.name;
  const { lookup, defaults } = op.parameters;
  const values: Record<string, unknown> = {};
  // Own keys only: an inherited member (a polluted prototype) is never taken for a parameter.
  for (const key of Object.keys(given)) {
    assertSafeKey(key, name, 'parameter name', name);
    const param = lookup.get(key);
    if (!param) {
      throw new ConnectorError({
        code: 'INVALID_PARAMETER',
        operation: name,
        parameter: key,
        message: `${name}: unknown parameter '${key}' (parameters: ${op.parameters.list.map((p) => p.name).join(', ')})`,
      });
    }
    let value = given[key];
    if (context !== undefined && typeof value === 'string') value = evaluateValue(value, context);
    // A sequence passes '' for a parameter it does not set; that means "not set", as in the WSO2 connector.
    if (value === undefined || value === null || value === '') continue;
    if (param.type === 'json' && typeof value === 'string') value = parseJson(name, param.name, value);
    if ((param.type === 'integer' || param.type === 'number') && !isKeyword(param, value)) value = checkedNumber(name, param, value);
    if (param.name in values) {
      throw new ConnectorError({
        code: 'INVALID_PARAMETER',
        operation: name,
        parameter: param.name,
        message: `${name}: parameter '${param.name}' is given twice (under its name and an alias: ${[param.name, ...param.aliases].join(', ')})`,
      });
    }
    values[param.name] = value;
  }
  for (const d of defaults) if (values[d.name] === undefined) values[d.name] = d.value;
  return values;
}

/** Reads each declared parameter (by name, then alias) from the context's properties: `invoke(name, ctx)`. */
export function parametersFromContext(op: CompiledOperation, context: MessageContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of op.parameters.list) {
    for (const key of [p.name, ...p.aliases]) {
      const value = context.getProperty(key);
      if (value !== undefined && value !== null && value !== '') {
        out[key] = value;
        break;
      }
    }
  }
  return out;
}

function parseJson(operation: string, parameter: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation,
      parameter,
      message: `${operation}: parameter '${parameter}' is not valid JSON (${(err as Error).message}): ${describeValue(undefined, text)}`,
    });
  }
}

/** One of the words an integer or number parameter takes instead of a number (`keywords="auto"`), given as text. */
function isKeyword(param: ParameterDescriptor, value: unknown): boolean {
  return param.keywords !== undefined && typeof value === 'string' && param.keywords.includes(value);
}

/** The one number rule (number-rule.ts); the declared minimum and maximum are checked by the schema afterwards. */
function checkedNumber(operation: string, param: ParameterDescriptor, value: unknown): number {
  const read = readNumber(value, param.type === 'integer' ? 'integer' : 'number');
  if (read.ok) return read.value;
  throw new ConnectorError({
    code: 'INVALID_PARAMETER',
    operation,
    parameter: param.name,
    message: `${operation}: parameter '${param.name}' ${read.reason}${param.keywords ? ` or ${param.keywords.map((k) => `'${k}'`).join(' or ')}` : ''} (got ${describeValue(param, value)})`,
  });
}
