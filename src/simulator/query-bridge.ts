// The one place the simulator calls the encoded-query engine (./query), and the shapes it inspects for fast paths.
import { compileQuery, parseEncodedQuery } from './query/index.js';
import type { CompiledQuery, Condition, ParsedQuery, QueryEnvironment } from './query/types.js';

/** Operators whose value names another field of the record (compare two fields). */
const FIELD_VALUE_OPERATORS: readonly string[] = ['SAMEAS', 'NSAMEAS', 'GT_FIELD', 'LT_FIELD', 'GT_OR_EQUALS_FIELD', 'LT_OR_EQUALS_FIELD'];

export { QuerySyntaxError } from './query/types.js';

export interface PreparedQuery {
  readonly parsed: ParsedQuery;
  readonly compiled: CompiledQuery;
  /** Direct fields (first path segments) the query reads: enough to build a record for matching and sorting. */
  readonly fields: readonly string[];
  readonly hasConditions: boolean;
}

/**
 * Parses and compiles; throws QuerySyntaxError for a query that cannot be parsed. `equals` are name-value filters
 * (`?user_name=admin` beside sysparm_query): each is ANDed with every `^NQ` group of the query.
 */
export function prepareQuery(text: string, env: QueryEnvironment, equals: readonly (readonly [string, string])[] = []): PreparedQuery {
  const parsed = withEquals(parseEncodedQuery(text, { caretEscape: env.caretEscape ?? true }), equals);
  const compiled = compileQuery(parsed, env);
  const fields = new Set<string>();
  let hasConditions = false;
  for (const group of parsed.groups) {
    for (const clause of group.clauses) {
      for (const cond of clause) {
        hasConditions = true;
        fields.add(cond.field.split('.')[0]);
        if (FIELD_VALUE_OPERATORS.includes(cond.operator)) fields.add(cond.value.split('.')[0]);
      }
    }
  }
  for (const term of parsed.orderBy) fields.add(term.field.split('.')[0]);
  return { parsed, compiled, fields: [...fields], hasConditions };
}

function withEquals(parsed: ParsedQuery, equals: readonly (readonly [string, string])[]): ParsedQuery {
  if (equals.length === 0) return parsed;
  const extra = equals.map(([field, value]): Condition[] => [{ field, operator: '=', value }]);
  const groups = parsed.groups.length === 0 ? [{ clauses: [] }] : parsed.groups;
  return { ...parsed, groups: groups.map((g) => ({ clauses: [...g.clauses, ...extra] })) };
}

/**
 * Keyset paging: `sys_id>X` (optionally with ORDERBYsys_id) and nothing else.
 * Returns X, or undefined when the query has another shape.
 */
export function keysetStart(parsed: ParsedQuery): string | undefined {
  if (parsed.groups.length !== 1) return undefined;
  const clauses = parsed.groups[0].clauses;
  if (clauses.length !== 1 || clauses[0].length !== 1) return undefined;
  const cond = clauses[0][0];
  if (cond.field !== 'sys_id' || cond.operator !== '>') return undefined;
  const order = parsed.orderBy;
  if (order.length > 1 || (order.length === 1 && (order[0].field !== 'sys_id' || order[0].descending))) return undefined;
  return cond.value;
}

/** True when the query only orders by sys_id ascending (or not at all) and has no conditions. */
export function isPlainSysIdOrder(parsed: ParsedQuery): boolean {
  return parsed.groups.every((g) => g.clauses.length === 0) && parsed.orderBy.length === 1 && parsed.orderBy[0].field === 'sys_id' && !parsed.orderBy[0].descending;
}
