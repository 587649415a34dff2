// Compiles an operation's parameters into one ajv validator (coercing text to the declared types) plus
// the lookup tables the binder needs. Done once at load; a call only runs the compiled function.
import { createRequire } from 'node:module';
import type { Ajv as AjvType, Options as AjvOptions, ValidateFunction } from 'ajv';
import { readNumber } from '../number-rule.js';
import { descriptorError } from './descriptor-error.js';
import type { OperationDescriptor, ParameterDescriptor } from './types.js';
import { lineOfElement } from './xml.js';

// coerceTypes: '5' -> 5 and 'true' -> true for values that arrive as text from the CLI or a sequence; junk still fails.
export const PARAMETER_AJV_OPTIONS: AjvOptions = { allErrors: false, coerceTypes: true, strict: true, strictRequired: false, verbose: true };

// ajv is required on first use, not imported: with a catalogue snapshot (snapshot.ts) the validators come
// precompiled and a cold start never loads ajv (its import and first compile were ~60 ms of it).
const require = createRequire(import.meta.url);
let shared: AjvType | undefined;
function ajvInstance(): AjvType {
  if (!shared) {
    const { Ajv } = require('ajv') as typeof import('ajv');
    shared = new Ajv(PARAMETER_AJV_OPTIONS);
  }
  return shared;
}

/**
 * Options of compileParameters for a descriptor taken from a fresh catalogue snapshot: the checks that need ajv
 * (defaults against their own parameter's schema) were made when the snapshot was written, and the validator
 * comes from the snapshot's generated code.
 */
export interface PrecompiledParameters {
  validator: () => ValidateFunction;
}

export interface CompiledParameters {
  list: ParameterDescriptor[];
  /** By name and by alias. */
  lookup: Map<string, ParameterDescriptor>;
  /** Parameters with a default, and that default already converted to the parameter's type. */
  defaults: Array<{ name: string; value: unknown }>;
  /** Validates and coerces a values object in place. */
  validate: ValidateFunction;
}

export function compileParameters(op: OperationDescriptor, raw: string, precompiled?: PrecompiledParameters): CompiledParameters {
  const lookup = new Map<string, ParameterDescriptor>();
  for (const p of op.parameters) {
    for (const key of [p.name, ...p.aliases]) {
      if (lookup.has(key)) {
        throw descriptorError(op.file, lineOfElement(raw, 'parameter', 'name', p.name), `parameter name or alias '${key}' is declared twice`);
      }
      lookup.set(key, p);
    }
  }

  const properties: Record<string, object> = {};
  for (const p of op.parameters) {
    properties[p.name] = parameterSchema(p);
    if (p.keywords !== undefined && p.type !== 'integer' && p.type !== 'number') {
      throw descriptorError(op.file, lineOfElement(raw, 'parameter', 'name', p.name), `parameter '${p.name}': keywords are words taken instead of a number, so the type must be integer or number (got ${p.type})`);
    }
    // The whole validator is compiled on first use (below); a bad pattern must still fail the load.
    if (p.pattern !== undefined) {
      try {
        new RegExp(p.pattern, 'u');
      } catch (err) {
        throw descriptorError(op.file, lineOfElement(raw, 'parameter', 'name', p.name), `parameter '${p.name}': pattern is not a regular expression (${(err as Error).message})`, err);
      }
    }
  }
  // Only parameters with a default get a validator of their own (to check that default); compiling one per
  // parameter would double the load time for nothing.
  for (const p of op.parameters) {
    if (p.default === undefined || precompiled) continue;
    const line = lineOfElement(raw, 'parameter', 'name', p.name);
    const check = compileFor(op, p, properties[p.name]!, raw);
    if (!check(typedDefault(p, op.file, line))) {
      throw descriptorError(op.file, line, `parameter '${p.name}': default '${p.default}' is not a valid value (${check.errors?.[0]?.message ?? 'invalid'})`);
    }
  }

  const defaults = op.parameters
    .filter((p) => p.default !== undefined)
    .map((p) => ({ name: p.name, value: typedDefault(p, op.file, undefined) }));

  const conditional = op.parameters
    .filter((p) => p.requiredWhen)
    .map((p) => {
      const target = lookup.get(p.requiredWhen!.parameter);
      if (!target || target.name !== p.requiredWhen!.parameter) {
        throw descriptorError(
          op.file,
          lineOfElement(raw, 'parameter', 'name', p.name),
          `parameter '${p.name}': requiredWhen names '${p.requiredWhen!.parameter}', which is not a parameter of ${op.name}`,
        );
      }
      const expected = coerceText(target, p.requiredWhen!.equals);
      return {
        if: { properties: { [target.name]: { const: expected } }, required: [target.name] },
        then: { required: [p.name] },
      };
    });

  const schema = {
    type: 'object',
    properties,
    required: op.parameters.filter((p) => p.required).map((p) => p.name),
    ...(conditional.length > 0 ? { allOf: conditional } : {}),
  };
  // Compiled when the operation is first validated: compiling every operation's validator at load was most of the
  // cold start (an ajv compile costs milliseconds each), and a flow uses a few of them. Everything that can be
  // wrong in the schema (types, enums, bounds, patterns, defaults) is checked above, at load.
  let compiled: ValidateFunction | undefined;
  const compile = (): ValidateFunction => {
    if (precompiled) return precompiled.validator();
    try {
      return ajvInstance().compile(schema);
    } catch (err) {
      // Find the parameter at fault so the error can point at its line.
      for (const p of op.parameters) compileFor(op, p, properties[p.name]!, raw);
      throw descriptorError(op.file, undefined, `parameters cannot be compiled: ${(err as Error).message}`, err);
    }
  };
  const validate = ((data: unknown) => {
    compiled ??= compile();
    const ok = compiled(data);
    validate.errors = compiled.errors;
    return ok;
  }) as ValidateFunction;
  const compiledParameters: CompiledParameters = { list: op.parameters, lookup, defaults, validate };
  schemas.set(compiledParameters, schema);
  return compiledParameters;
}

// The JSON Schema behind each validator, for the snapshot writer (which generates the validators' code ahead).
const schemas = new WeakMap<CompiledParameters, object>();

export function validatorSchema(parameters: CompiledParameters): object | undefined {
  return schemas.get(parameters);
}

function compileFor(op: OperationDescriptor, p: ParameterDescriptor, schema: object, raw: string): ValidateFunction {
  try {
    return ajvInstance().compile(schema);
  } catch (err) {
    throw descriptorError(op.file, lineOfElement(raw, 'parameter', 'name', p.name), `parameter '${p.name}': ${(err as Error).message}`, err);
  }
}

function parameterSchema(p: ParameterDescriptor): object {
  const s: Record<string, unknown> = {};
  switch (p.type) {
    case 'json':
      s['type'] = p.shape;
      break;
    case 'binary':
      // Bytes or a stream: checked when the body is built (compile-call.ts), not by the JSON Schema.
      break;
    case 'encodedQuery':
      // Text; its query checks run where it is placed (compile-call.ts, encoded-query-values.ts).
      s['type'] = 'string';
      break;
    default:
      s['type'] = p.type;
  }
  if (p.enum) s['enum'] = p.enum.map((v) => coerceText(p, v));
  if (p.pattern) s['pattern'] = p.pattern;
  if (p.minimum !== undefined) s['minimum'] = p.minimum;
  if (p.maximum !== undefined) s['maximum'] = p.maximum;
  // A number in its range, or one of the words (the binder leaves a keyword as text: bind.ts).
  if (p.keywords) return { anyOf: [s, { enum: [...p.keywords] }] };
  return s;
}

function typedDefault(p: ParameterDescriptor, file: string, line: number | undefined): unknown {
  if (p.type === 'integer' || p.type === 'number') {
    // The same number rule as for given values: a default of '0x10' or '1e3' is a descriptor error, not 16 or 1000.
    const read = readNumber(p.default!, p.type);
    if (!read.ok) throw descriptorError(file, line, `parameter '${p.name}': default '${p.default}' ${read.reason}`);
    return read.value;
  }
  if (p.type !== 'json') return coerceText(p, p.default!);
  try {
    return JSON.parse(p.default!);
  } catch {
    throw descriptorError(file, line, `parameter '${p.name}': default is not valid JSON`);
  }
}

/** Descriptor text (an enum entry, a default, a condition) as a value of the parameter's type. */
function coerceText(p: ParameterDescriptor, text: string): unknown {
  if (p.type === 'integer' || p.type === 'number') return Number(text);
  if (p.type === 'boolean') return text === 'true';
  return text;
}
