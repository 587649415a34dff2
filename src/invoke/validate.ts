// Runs the operation's compiled parameter schema (coercing text to the declared types in place) and turns
// the first violation into an error that names the operation, the parameter and what was wrong.
import type { ErrorObject } from 'ajv';
import type { CompiledOperation, ParameterDescriptor } from '../catalogue/index.js';
import { ConnectorError } from '../errors.js';
import { describeValue } from './describe-value.js';

export function validateParameters(op: CompiledOperation, values: Record<string, unknown>): void {
  const validate = op.parameters.validate;
  if (validate(values)) return;
  const errors = validate.errors ?? [];
  const error = errors.find((e) => e.keyword !== 'if') ?? errors[0];
  throw toError(op, values, error);
}

function toError(op: CompiledOperation, values: Record<string, unknown>, error: ErrorObject | undefined): ConnectorError {
  const operation = op.descriptor.name;
  if (!error) return new ConnectorError({ code: 'INVALID_PARAMETER', operation, message: `${operation}: invalid parameters` });
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    const param = op.parameters.lookup.get(missing);
    const when = param?.requiredWhen && !param.required ? ` when ${param.requiredWhen.parameter} is ${param.requiredWhen.equals}` : '';
    const aliases = param && param.aliases.length > 0 ? ` (also accepted as ${param.aliases.join(', ')})` : '';
    return new ConnectorError({
      code: 'MISSING_PARAMETER',
      operation,
      parameter: missing,
      message: `${operation}: missing required parameter '${missing}'${when}${aliases}`,
    });
  }
  const name = error.instancePath.split('/')[1] ?? '';
  const param = op.parameters.lookup.get(name);
  return new ConnectorError({
    code: 'INVALID_PARAMETER',
    operation,
    parameter: name,
    message: `${operation}: parameter '${name}' ${expectation(error, param)} (got ${describeValue(param, values[name])})`,
  });
}

function expectation(error: ErrorObject, param: ParameterDescriptor | undefined): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'pattern':
      return `must match ${String(p['pattern'])}`;
    case 'enum':
      return `must be one of ${(p['allowedValues'] as unknown[]).join(', ')}`;
    case 'type':
      if (param?.type === 'json') return `must be a JSON ${param.shape}`;
      return p['type'] === 'integer' ? 'must be an integer' : `must be a ${String(p['type'])}`;
    case 'minimum':
      return `must be >= ${String(p['limit'])}`;
    case 'maximum':
      return `must be <= ${String(p['limit'])}`;
    default:
      return error.message ?? 'is invalid';
  }
}
