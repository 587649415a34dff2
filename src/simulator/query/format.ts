// ParsedQuery -> encoded query text, the inverse of parseEncodedQuery (error messages, logs, Link URLs).
import type { Condition, OrderTerm, ParsedQuery } from './types.js';

export interface FormatOptions {
  /** Write a `^` inside a value as `^^` (default true; without escaping such a value cannot be written faithfully). */
  readonly caretEscape?: boolean;
}

function condition(c: Condition, caretEscape: boolean): string {
  return c.field + c.operator + (caretEscape ? c.value.replaceAll('^', '^^') : c.value);
}

function order(t: OrderTerm): string {
  return (t.descending ? 'ORDERBYDESC' : 'ORDERBY') + t.field;
}

export function formatEncodedQuery(parsed: ParsedQuery, options: FormatOptions = {}): string {
  const caretEscape = options.caretEscape ?? true;
  const groups = parsed.groups.map((g) => g.clauses.map((alternatives) => alternatives.map((c) => condition(c, caretEscape)).join('^OR')).join('^'));
  return [groups.join('^NQ'), ...parsed.orderBy.map(order)].filter((part) => part !== '').join('^');
}
