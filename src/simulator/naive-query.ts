// TEMPORARY stand-in for ./query until the real engine lands: `field=value` conditions joined by ^ and ORDERBY terms.
import { QuerySyntaxError, type CompiledQuery, type Condition, type ParsedQuery, type QueryEnvironment } from './query/types.js';

export interface QueryEngine {
  parseEncodedQuery(text: string, options?: { caretEscape?: boolean }): ParsedQuery;
  compileQuery(text: string | ParsedQuery, env: QueryEnvironment): CompiledQuery;
}

function parse(text: string): ParsedQuery {
  const clauses: Condition[][] = [];
  const orderBy: { field: string; descending: boolean }[] = [];
  for (const part of text.split('^')) {
    if (part === '') continue;
    if (part.startsWith('ORDERBYDESC')) orderBy.push({ field: part.slice(11), descending: true });
    else if (part.startsWith('ORDERBY')) orderBy.push({ field: part.slice(7), descending: false });
    else {
      const m = /^([a-z0-9_.]+)(!=|<=|>=|=|<|>)(.*)$/.exec(part);
      if (!m) throw new QuerySyntaxError(`cannot parse '${part}'`, text);
      clauses.push([{ field: m[1], operator: m[2] as Condition['operator'], value: m[3] }]);
    }
  }
  return { groups: [{ clauses }], orderBy };
}

export const naiveEngine: QueryEngine = {
  parseEncodedQuery: parse,
  compileQuery(query, env) {
    const parsed = typeof query === 'string' ? parse(query) : query;
    const test = (v: string, op: string, w: string): boolean => {
      const a = Number(v);
      const b = Number(w);
      const num = v !== '' && w !== '' && !Number.isNaN(a) && !Number.isNaN(b);
      const c = num ? a - b : v < w ? -1 : v > w ? 1 : 0;
      return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    };
    const conds = parsed.groups.flatMap((g) => g.clauses.flat());
    return {
      matches: (r) => conds.every((c) => (env.fieldType(c.field) === undefined ? !env.invalidQueryReturnsNoRows : test(env.value(r, c.field), c.operator, c.value))),
      orderBy: parsed.orderBy,
      compare(a, b) {
        for (const t of parsed.orderBy) {
          const x = env.value(a, t.field);
          const y = env.value(b, t.field);
          const c = x < y ? -1 : x > y ? 1 : 0;
          if (c !== 0) return t.descending ? -c : c;
        }
        return 0;
      },
      unknownFields: conds.map((c) => c.field).filter((f) => env.fieldType(f) === undefined),
    };
  },
};
