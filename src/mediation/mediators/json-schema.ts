// `<validate>` with a JSON Schema: the schema (the text of a `<localEntry>`) is compiled once by ajv and kept;
// a message that does not conform runs the `<on-fail>` mediators with ERROR_MESSAGE / ERROR_DETAIL saying why.
import { createRequire } from 'node:module';
import type { Ajv as AjvType, ErrorObject, ValidateFunction } from 'ajv';

let ajv: AjvType | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): AjvType {
  // Loaded on first use: flows without <validate> do not pay for ajv's import.
  if (!ajv) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    // allErrors: the on-fail sequence sees every problem, not only the first; strict off: schemas written for
    // WSO2 (draft-04 style keywords such as `id`) still load.
    ajv = new Ajv({ allErrors: true, strict: false });
  }
  return ajv;
}

/** The compiled schema, or the reason the text is not a usable JSON Schema. */
export function compileJsonSchema(text: string): { validate: ValidateFunction } | { problem: string } {
  const known = compiled.get(text);
  if (known) return { validate: known };
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    return { problem: `is not JSON (${(err as Error).message})` };
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return { problem: 'is not a JSON Schema object' };
  // MI's validator reads draft-04 schemas (the MI docs' examples declare it); ajv has no draft-04 meta-schema, so such
  // a schema is compiled without its $schema, by draft-07 rules: the keywords the two share mean the same.
  const { $schema, ...rest } = schema as Record<string, unknown>;
  const usable = typeof $schema === 'string' && /json-schema\.org\/draft-0[34]\/schema/.test($schema) ? rest : schema;
  try {
    const validate = instance().compile(usable as object);
    compiled.set(text, validate);
    return { validate };
  } catch (err) {
    return { problem: `is not a valid JSON Schema (${(err as Error).message})` };
  }
}

/** ajv's errors as one line each: `/path: message`. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`).join('; ');
}

/** JSON types in the words of MI's validator (java-json-tools), for its messages. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * The first problem as MI's JSON Schema validator words it (what MI puts in ERROR_MESSAGE and its docs show):
 * `object has missing required properties (["request"])`, `instance type (integer) does not match any allowed
 * primitive type (allowed: ["string"])`; other keywords in ajv's words, with the path.
 */
export function miSchemaMessage(errors: readonly ErrorObject[] | null | undefined, data: unknown): string {
  const first = errors?.[0];
  if (!first) return '';
  if (first.keyword === 'required') {
    const missing = (errors ?? []).filter((e) => e.keyword === 'required' && e.instancePath === first.instancePath && e.schemaPath === first.schemaPath).map((e) => (e.params as { missingProperty: string }).missingProperty);
    return `object has missing required properties (${JSON.stringify(missing)})`;
  }
  if (first.keyword === 'type') {
    const allowed = ([] as string[]).concat((first.params as { type: string | string[] }).type);
    return `instance type (${jsonType(valueAt(data, first.instancePath))}) does not match any allowed primitive type (allowed: ${JSON.stringify(allowed)})`;
  }
  return `${first.instancePath || '/'}: ${first.message ?? first.keyword}`;
}

/** The value a JSON pointer (ajv's instancePath) names. */
function valueAt(data: unknown, pointer: string): unknown {
  let here = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    here = here !== null && typeof here === 'object' && Object.hasOwn(here, key) ? (here as Record<string, unknown>)[key] : undefined;
  }
  return here;
}
