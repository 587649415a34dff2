// Composes the query of a keyset page from the user's own query: the user's conditions are kept in every OR group
// and the cursor condition is ANDed into each, because an OR group left without it would restart from the top.
// The separators come from the declaration (QuerySyntax); raw term texts are kept as written, escapes included.
import type { QuerySyntax } from './types.js';

/** The user's query as OR groups of AND terms, ordering terms set apart. */
export interface SplitQuery {
  groups: string[][];
  orderTerms: string[];
}

export function splitQuery(query: string, syntax: QuerySyntax): SplitQuery {
  const groups: string[][] = [];
  const orderTerms: string[] = [];
  let group: string[] = [];
  let term = '';
  const endTerm = () => {
    const t = term.trim();
    // A condition is kept as written, blanks included: trimming ' NQx' after '^' would make '^NQ', an OR separator,
    // and split off a group without the cursor condition (found by test/security/fuzz.test.ts).
    if (t !== '') (t.startsWith(syntax.orderBy) ? orderTerms.push(t) : group.push(term));
    term = '';
  };
  const escaped = syntax.and + syntax.and;
  let i = 0;
  while (i < query.length) {
    if (query.startsWith(escaped, i)) {
      // A doubled separator is a literal inside a value: keep it as written.
      term += escaped;
      i += escaped.length;
    } else if (query.startsWith(syntax.or, i)) {
      endTerm();
      groups.push(group);
      group = [];
      i += syntax.or.length;
    } else if (query.startsWith(syntax.and, i)) {
      endTerm();
      i += syntax.and.length;
    } else {
      term += query[i];
      i++;
    }
  }
  endTerm();
  groups.push(group);
  return { groups: groups.filter((g, n) => g.length > 0 || n === 0), orderTerms };
}

/**
 * `(user group) AND (cursor alternative)` for every pair, ORed, then the ordering terms.
 * `alternatives` are the OR-ed cursor conditions (e.g. `time>W` | `time=W AND key>K`); [[]] when there is none.
 */
export function composeQuery(user: SplitQuery, alternatives: string[][], order: string[], syntax: QuerySyntax): string {
  const out: string[] = [];
  for (const g of user.groups) {
    for (const alt of alternatives) {
      const terms = [...g, ...alt];
      if (terms.length > 0) out.push(terms.join(syntax.and));
    }
  }
  const conditions = out.join(syntax.or);
  const ordering = order.map((f) => syntax.orderBy + f).join(syntax.and);
  if (conditions === '') return ordering;
  return ordering === '' ? conditions : conditions + syntax.and + ordering;
}

/**
 * The conditions "(f1, f2, ...) after (v1, v2, ...)" as OR alternatives: f1>v1 | f1=v1^f2>v2 | ...
 * `inclusiveFirst` makes a lone first field `>=` (a time-only watermark: rows in that same second are read again
 * rather than missed).
 */
export function tupleAfter(fields: string[], values: string[], inclusiveFirst = false): string[][] {
  if (values.length === 1 && inclusiveFirst) return [[`${fields[0]}>=${values[0]}`]];
  const alternatives: string[][] = [];
  for (let n = 0; n < values.length; n++) {
    const alt: string[] = [];
    for (let k = 0; k < n; k++) alt.push(`${fields[k]}=${values[k]}`);
    alt.push(`${fields[n]}>${values[n]}`);
    alternatives.push(alt);
  }
  return alternatives;
}
