// Runs an operation's <check> declarations before anything is sent: validatePayload and strictQuery.
// Every problem is reported in one INVALID_PARAMETER error; the request is not sent.
import type { CheckDescriptor } from '../catalogue/index.js';
import { ConnectorError } from '../errors.js';
import { closestName } from './closest.js';
import { payloadProblems } from './payload-check.js';
import { fieldsOfEncodedQuery } from './query-fields.js';
import type { SchemaCache } from './schema-cache.js';
import type { TableSchema } from './types.js';

export async function runChecks(
  operation: string,
  checks: readonly CheckDescriptor[],
  values: Readonly<Record<string, unknown>>,
  body: string | undefined,
  schemas: SchemaCache,
): Promise<void> {
  for (const check of checks) {
    if (values[check.when] !== true) continue;
    const table = String(values[check.table]);
    const schemaOf = (name: string) => schemas.get(check.schema, check.table, name);
    if (check.kind === 'payload') await checkPayload(operation, check, table, body, await schemaOf(table));
    else {
      const query = values[check.from!];
      await checkQuery(operation, check, table, typeof query === 'string' && check.split ? query.split(check.split).join('^') : query, schemaOf);
    }
  }
}

async function checkPayload(operation: string, check: CheckDescriptor, table: string, body: string | undefined, schema: TableSchema): Promise<void> {
  let parsed: unknown = {};
  if (body !== undefined && body !== '') parsed = JSON.parse(body);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', operation, message: `${operation}: ${check.when}=true needs a JSON object body (columns of ${table}); nothing was sent` });
  }
  const problems = payloadProblems(schema, parsed as Record<string, unknown>, { mandatory: check.mandatory });
  if (problems.length === 0) return;
  throw new ConnectorError({
    code: 'INVALID_PARAMETER',
    operation,
    message: `${operation}: the payload does not fit table ${table} (${problems.length} problem${problems.length > 1 ? 's' : ''}; nothing was sent): ${problems.join('; ')}`,
    detail: problems.join('\n'),
  });
}

async function checkQuery(
  operation: string,
  check: CheckDescriptor,
  table: string,
  query: unknown,
  schemaOf: (table: string) => Promise<TableSchema>,
): Promise<void> {
  if (typeof query !== 'string' || query === '') return;
  const problems: string[] = [];
  for (const path of fieldsOfEncodedQuery(query)) {
    const problem = await pathProblem(table, path, schemaOf);
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) return;
  throw new ConnectorError({
    code: 'INVALID_PARAMETER',
    operation,
    parameter: check.from,
    message:
      `${operation}: parameter '${check.from}' names ${problems.join('; ')}. ServiceNow would ignore such a condition and match every row; ` +
      `nothing was sent (${check.when}=true)`,
    detail: problems.join('\n'),
  });
}

/** Walks a dot-walked path through reference fields; the first segment that does not exist is the problem. */
async function pathProblem(table: string, path: string, schemaOf: (table: string) => Promise<TableSchema>): Promise<string | undefined> {
  let current = table;
  const segments = path.split('.');
  for (let i = 0; i < segments.length; i++) {
    const schema = await schemaOf(current);
    const segment = segments[i]!;
    const field = schema.fields.find((f) => f.name === segment);
    if (!field) {
      const near = closestName(segment, schema.fields);
      const where = i === 0 ? `table ${table}` : `table ${current} (reached through '${segments.slice(0, i).join('.')}')`;
      return `field '${segment}', which ${where} does not have${near ? ` (did you mean '${near}'?)` : ''}`;
    }
    if (i < segments.length - 1) {
      if (!field.reference) return `'${segments.slice(0, i + 2).join('.')}', but '${segment}' is not a reference field and cannot be dot-walked`;
      current = field.reference;
    }
  }
  return undefined;
}
