// ParsedQuery + QueryEnvironment -> CompiledQuery: closures built once, then run on every row.
import { conditionPredicate, type Predicate, type Reader } from './conditions.js';
import { isScriptValue, relativeMoment, resolveScriptValue } from './javascript.js';
import { comparatorFor, kindOf } from './kinds.js';
import { formatEncodedQuery } from './format.js';
import { FIELD_OPERATORS, parseEncodedQuery, RELATIVE_VALUE } from './parse.js';
import { QuerySyntaxError } from './types.js';
import type { CompiledQuery, Condition, FieldType, OrderTerm, ParsedQuery, QueryEnvironment, RecordValues } from './types.js';

const DATE_OPERATORS: ReadonlySet<string> = new Set(['ON', 'NOTON', 'RELATIVEGT', 'RELATIVEGE', 'RELATIVELT', 'RELATIVELE']);

type Comparator = (a: RecordValues, b: RecordValues) => number;

function reader(env: QueryEnvironment, path: string): Reader {
  return (record) => env.value(record, path);
}

/**
 * The value a condition compares with: `javascript:gs.*()` helpers resolved, `ON label@start@end` reduced to
 * `start@end`, `RELATIVEGT@hour@ago@3` to the moment it names.
 */
function constantOf(condition: Condition, type: FieldType, env: QueryEnvironment, query: string): string {
  const { operator, value } = condition;
  const isDate = type === 'glide_date_time' || type === 'glide_date';
  const dateOnly = type === 'glide_date';
  const nowSeconds = (env.now?.() ?? Date.now()) / 1000;
  const resolve = (text: string): string => {
    if (!isScriptValue(text)) return text;
    if (!isDate) throw new QuerySyntaxError(`Invalid encoded query: '${text}' on '${condition.field}' (type ${type}): the simulator resolves javascript: values only for date fields`, query);
    return resolveScriptValue(text, dateOnly, nowSeconds, query);
  };
  if (FIELD_OPERATORS.has(operator)) return value;
  if (DATE_OPERATORS.has(operator) && !isDate) {
    throw new QuerySyntaxError(`Invalid encoded query: ${operator} compares dates, but '${condition.field}' is of type ${type}`, query);
  }
  if (operator === 'BETWEEN') {
    const at = value.indexOf('@');
    return resolve(value.slice(0, at)) + '@' + resolve(value.slice(at + 1));
  }
  if (operator === 'ON' || operator === 'NOTON') {
    const [, start, end] = value.split('@');
    return resolve(start) + '@' + resolve(end);
  }
  if (operator.startsWith('RELATIVE')) {
    const [, unit, direction, count] = RELATIVE_VALUE.exec(value) as RegExpExecArray;
    return relativeMoment(unit, direction, Number(count), dateOnly, nowSeconds);
  }
  return resolve(value);
}

function orOf(predicates: readonly Predicate[]): Predicate {
  if (predicates.length === 1) return predicates[0];
  return (r) => {
    for (let i = 0; i < predicates.length; i++) if (predicates[i](r)) return true;
    return false;
  };
}

function andOf(predicates: readonly Predicate[]): Predicate {
  if (predicates.length === 0) return () => true;
  if (predicates.length === 1) return predicates[0];
  return (r) => {
    for (let i = 0; i < predicates.length; i++) if (!predicates[i](r)) return false;
    return true;
  };
}

function orderComparator(terms: readonly OrderTerm[], env: QueryEnvironment): Comparator {
  const parts: Comparator[] = [];
  for (const term of terms) {
    const type = env.fieldType(term.field);
    if (type === undefined) continue;
    const compare = comparatorFor(kindOf(type));
    const sign = term.descending ? -1 : 1;
    const path = term.field;
    parts.push((a, b) => {
      const x = env.value(a, path);
      const y = env.value(b, path);
      if (x === y) return 0;
      // Empty values sort first ascending and therefore last descending, as on ServiceNow's databases.
      if (x === '') return -sign;
      if (y === '') return sign;
      const d = compare(x, y);
      // A non-number in a numeric column still needs a place: fall back to its text.
      return sign * (d === d ? d : x < y ? -1 : x > y ? 1 : 0);
    });
  }
  if (parts.length === 0) return () => 0;
  if (parts.length === 1) return parts[0];
  return (a, b) => {
    for (let i = 0; i < parts.length; i++) {
      const d = parts[i](a, b);
      if (d !== 0) return d;
    }
    return 0;
  };
}

/** Compiles an encoded query (text or already parsed) against one table's environment. */
export function compileQuery(query: string | ParsedQuery, env: QueryEnvironment): CompiledQuery {
  const text = typeof query === 'string' ? query : formatEncodedQuery(query);
  const parsed = typeof query === 'string' ? parseEncodedQuery(query, { caretEscape: env.caretEscape ?? true }) : query;
  const unknown = new Set<string>();

  const groupPredicates: Predicate[] = [];
  for (const group of parsed.groups) {
    const clausePredicates: Predicate[] = [];
    for (const clause of group.clauses) {
      const alternatives: Predicate[] = [];
      for (const condition of clause) {
        const type = env.fieldType(condition.field);
        const otherIsField = FIELD_OPERATORS.has(condition.operator);
        const otherType = otherIsField ? env.fieldType(condition.value) : undefined;
        if (type === undefined) unknown.add(condition.field);
        if (otherIsField && otherType === undefined) unknown.add(condition.value);
        // ServiceNow drops a condition on an unknown field from the query (see README for OR clauses).
        if (type === undefined || (otherIsField && otherType === undefined)) continue;
        const constant = constantOf(condition, type, env, text);
        const other = otherIsField ? reader(env, condition.value) : undefined;
        alternatives.push(conditionPredicate(condition, kindOf(type), reader(env, condition.field), constant, other));
      }
      if (alternatives.length > 0) clausePredicates.push(orOf(alternatives));
    }
    groupPredicates.push(andOf(clausePredicates));
  }

  const unknownFields = [...unknown];
  let matches: Predicate;
  if (unknownFields.length > 0 && env.invalidQueryReturnsNoRows) matches = () => false;
  else if (groupPredicates.length === 0) matches = () => true;
  else matches = orOf(groupPredicates);

  return {
    matches,
    orderBy: parsed.orderBy,
    compare: orderComparator(parsed.orderBy, env),
    unknownFields,
    unknownOrderByFields: [...new Set(parsed.orderBy.filter((t) => env.fieldType(t.field) === undefined).map((t) => t.field))],
    parsed,
  };
}
