// The one place the simulator calls the encoded-query engine (./query), and the shapes it inspects for fast paths.
import type { CompiledQuery, ParsedQuery, QueryEnvironment } from './query/types.js';
import { naiveEngine, type QueryEngine } from './naive-query.js';

// Until the real engine lands in ./query/index.ts, fall back to a minimal one (field=value and ORDERBY only).
const engine: QueryEngine = await import('./query/' + 'index.js').then(
  (m: Partial<QueryEngine>) => (m.parseEncodedQuery && m.compileQuery ? (m as QueryEngine) : naiveEngine),
  () => naiveEngine,
);
const { parseEncodedQuery, compileQuery } = engine;

export { QuerySyntaxError } from './query/types.js';

export interface PreparedQuery {
  readonly parsed: ParsedQuery;
  readonly compiled: CompiledQuery;
  /** Direct fields (first path segments) the query reads: enough to build a record for matching and sorting. */
  readonly fields: readonly string[];
  readonly hasConditions: boolean;
}

/** Parses and compiles; throws QuerySyntaxError for a query that cannot be parsed. */
export function prepareQuery(text: string, env: QueryEnvironment): PreparedQuery {
  const parsed = parseEncodedQuery(text, { caretEscape: env.caretEscape ?? true });
  const compiled = compileQuery(parsed, env);
  const fields = new Set<string>();
  let hasConditions = false;
  for (const group of parsed.groups) {
    for (const clause of group.clauses) {
      for (const cond of clause) {
        hasConditions = true;
        fields.add(cond.field.split('.')[0]);
        // SAMEAS / NSAMEAS compare with another field named in the value.
        if (cond.operator === 'SAMEAS' || cond.operator === 'NSAMEAS') fields.add(cond.value.split('.')[0]);
      }
    }
  }
  for (const term of parsed.orderBy) fields.add(term.field.split('.')[0]);
  return { parsed, compiled, fields: [...fields], hasConditions };
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
