// Checks a parsed descriptor file against the format's JSON Schema and turns the first violation into a
// DESCRIPTOR_ERROR that says where (file:line, element, attribute) and what was expected.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { connectorFileSchema, operationFileSchema } from './descriptor-schema.js';
import { descriptorError } from './descriptor-error.js';
import { lineOfPath, type XmlObject } from './xml.js';

const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictRequired: false });
const checkOperationFile = ajv.compile(operationFileSchema);
const checkConnectorFile = ajv.compile(connectorFileSchema);

export function checkOperationShape(parsed: XmlObject, raw: string, file: string): void {
  check(checkOperationFile, parsed, raw, file);
}

export function checkConnectorShape(parsed: XmlObject, raw: string, file: string): void {
  check(checkConnectorFile, parsed, raw, file);
}

function check(validate: ValidateFunction, parsed: XmlObject, raw: string, file: string): void {
  if (validate(parsed)) return;
  const errors = validate.errors ?? [];
  const error = errors.find((e) => e.keyword === 'oneOf') ?? errors[0];
  if (!error) throw descriptorError(file, undefined, 'does not match the descriptor format');
  const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
  throw descriptorError(file, lineOfPath(raw, segments), explain(error, segments));
}

function explain(error: ErrorObject, segments: string[]): string {
  const names = segments.filter((s) => !/^\d+$/.test(s));
  const last = names[names.length - 1];
  const data = error.data;
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      return `${element(last)} has an unexpected attribute or element '${extra}'`;
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return `${element(last)} needs '${missing}'`;
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.join(', ');
      return `${attribute(names)} must be one of ${allowed} (found '${String(data)}')`;
    }
    case 'pattern':
      return `${attribute(names)} '${String(data)}' does not match ${String((error.params as { pattern: string }).pattern)}`;
    case 'minLength':
    case 'minItems':
      return `${attribute(names)} must not be empty`;
    case 'not':
      return `${attribute(names)} '${String(data)}' must stay inside the catalogue folder (no '..')`;
    case 'oneOf':
      return `${element(last)} needs exactly one of: ${alternatives(error.parentSchema)}`;
    case 'type':
      return `${element(last)} must be ${describeType(String((error.params as { type: string }).type))}`;
    default:
      return `${element(last)} ${error.message ?? 'is invalid'}`;
  }
}

function element(name: string | undefined): string {
  return name ? `<${name}>` : 'the document';
}

function attribute(names: string[]): string {
  const attr = names[names.length - 1];
  const owner = names[names.length - 2];
  return owner ? `attribute ${attr} of <${owner}>` : `'${attr}'`;
}

function alternatives(schema: unknown): string {
  const branches = (schema as { oneOf?: Array<{ required?: string[] }> } | undefined)?.oneOf ?? [];
  return branches.map((b) => (b.required ?? []).join(' + ')).join(' | ');
}

function describeType(type: string): string {
  if (type === 'object') return 'an element with attributes';
  if (type === 'string') return 'plain text or a single attribute value';
  if (type === 'array') return 'a list of elements';
  return `a ${type}`;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
