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
  try {
    const validate = instance().compile(schema as object);
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
