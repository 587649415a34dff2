// One Condition -> one predicate over a record. Everything that depends only on the query (parsed numbers,
// folded needles, IN sets, the LIKE pattern) is computed here once; the returned closures parse nothing and allocate nothing.
import { compareFolded, endsWithFolded, equalsFolded, foldNeedle, hasFoldableCharacters, startsWithFolded } from './fold.js';
import { comparatorFor, toBoolean, toNumber, type ValueKind } from './kinds.js';
import type { Condition, RecordValues } from './types.js';

export type Predicate = (record: RecordValues) => boolean;
/** Reads the (possibly dot-walked) field the condition is about. */
export type Reader = (record: RecordValues) => string;

/** Compares a non-empty record value with the query's constant; NaN when they cannot be compared. */
function constantComparator(kind: ValueKind, constant: string): (value: string) => number {
  switch (kind) {
    case 'number': {
      const c = toNumber(constant);
      return c === c ? (v) => toNumber(v) - c : () => NaN;
    }
    case 'boolean': {
      const c = toBoolean(constant);
      return c === c ? (v) => toBoolean(v) - c : () => NaN;
    }
    case 'date':
      return (v) => (v < constant ? -1 : v > constant ? 1 : 0);
    case 'choice': {
      const c = toNumber(constant);
      if (c !== c) return (v) => compareFolded(v, constant);
      return (v) => {
        const x = toNumber(v);
        return x === x ? x - c : compareFolded(v, constant);
      };
    }
    case 'text': {
      const needle = foldNeedle(constant);
      return (v) => compareFolded(v, needle);
    }
  }
}

/** Equality with the query's constant, for a non-empty record value. */
function constantEquality(kind: ValueKind, constant: string): (value: string) => boolean {
  if (kind === 'text') {
    const needle = foldNeedle(constant);
    return (v) => equalsFolded(v, needle);
  }
  const compare = constantComparator(kind, constant);
  return (v) => compare(v) === 0;
}

/** Membership in an IN list, for a non-empty record value. */
function membership(kind: ValueKind, items: readonly string[]): (value: string) => boolean {
  if (kind === 'number' || kind === 'boolean') {
    const parse = kind === 'number' ? toNumber : toBoolean;
    const set = new Set(items.map(parse).filter((n) => n === n));
    return (v) => set.has(parse(v));
  }
  if (kind === 'date') {
    const set = new Set(items);
    return (v) => set.has(v);
  }
  const folded = new Set(items.map(foldNeedle));
  const numbers = kind === 'choice' ? new Set(items.map(toNumber).filter((n) => n === n)) : undefined;
  return (v) => {
    if (folded.has(v)) return true;
    if (numbers !== undefined && numbers.size > 0) {
      const n = toNumber(v);
      if (n === n && numbers.has(n)) return true;
    }
    return hasFoldableCharacters(v) && folded.has(foldNeedle(v));
  };
}

const FIELD_ORDER_TESTS: Readonly<Record<'GT_FIELD' | 'LT_FIELD' | 'GT_OR_EQUALS_FIELD' | 'LT_OR_EQUALS_FIELD', (d: number) => boolean>> = {
  GT_FIELD: (d) => d > 0,
  LT_FIELD: (d) => d < 0,
  GT_OR_EQUALS_FIELD: (d) => d >= 0,
  LT_OR_EQUALS_FIELD: (d) => d <= 0,
};

const not =
  (p: Predicate): Predicate =>
  (r) =>
    !p(r);

/**
 * Builds the predicate of one condition. `constant` is the condition's value as compile.ts resolved it
 * (`javascript:` helpers, ON and RELATIVE reduced to dates); `other` reads the second field of SAMEAS, GT_FIELD...
 * Negative operators (!=, NOT LIKE, NOT IN, NSAMEAS) are the exact complement of their positive twin,
 * so they match empty values, as ServiceNow's generated SQL (`... OR field IS NULL`) does.
 */
export function conditionPredicate(condition: Condition, kind: ValueKind, read: Reader, constant: string, other?: Reader): Predicate {
  switch (condition.operator) {
    case '=':
    case '!=': {
      let eq: Predicate;
      if (constant === '') {
        eq = (r) => read(r) === '';
      } else {
        const equal = constantEquality(kind, constant);
        eq = (r) => {
          const v = read(r);
          return v !== '' && equal(v);
        };
      }
      return condition.operator === '=' ? eq : not(eq);
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (constant === '') return () => false;
      const compare = constantComparator(kind, constant);
      const op = condition.operator;
      if (op === '<') return (r) => { const v = read(r); return v !== '' && compare(v) < 0; };
      if (op === '<=') return (r) => { const v = read(r); return v !== '' && compare(v) <= 0; };
      if (op === '>') return (r) => { const v = read(r); return v !== '' && compare(v) > 0; };
      return (r) => { const v = read(r); return v !== '' && compare(v) >= 0; };
    }
    case 'LIKE':
    case 'NOT LIKE': {
      // A case-insensitive literal regex, built once: V8 searches it several times faster than a folding loop.
      const pattern = new RegExp(constant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      const like: Predicate = (r) => {
        const v = read(r);
        return v !== '' && pattern.test(v);
      };
      return condition.operator === 'LIKE' ? like : not(like);
    }
    case 'STARTSWITH': {
      const needle = foldNeedle(constant);
      return (r) => {
        const v = read(r);
        return v !== '' && startsWithFolded(v, needle);
      };
    }
    case 'ENDSWITH': {
      const needle = foldNeedle(constant);
      return (r) => {
        const v = read(r);
        return v !== '' && endsWithFolded(v, needle);
      };
    }
    case 'IN':
    case 'NOT IN': {
      const items = constant.split(',');
      const acceptsEmpty = items.includes('');
      const member = membership(kind, items.filter((item) => item !== ''));
      const isIn: Predicate = (r) => {
        const v = read(r);
        return v === '' ? acceptsEmpty : member(v);
      };
      return condition.operator === 'IN' ? isIn : not(isIn);
    }
    case 'ISEMPTY':
      return (r) => read(r) === '';
    case 'ISNOTEMPTY':
      return (r) => read(r) !== '';
    case 'ANYTHING':
      return () => true;
    case 'EMPTYSTRING':
      // The simulator stores no NULLs: an empty string and an empty field are the same thing.
      return (r) => read(r) === '';
    case 'RELATIVEGT':
      return conditionPredicate({ ...condition, operator: '>' }, kind, read, constant);
    case 'RELATIVEGE':
      return conditionPredicate({ ...condition, operator: '>=' }, kind, read, constant);
    case 'RELATIVELT':
      return conditionPredicate({ ...condition, operator: '<' }, kind, read, constant);
    case 'RELATIVELE':
      return conditionPredicate({ ...condition, operator: '<=' }, kind, read, constant);
    case 'ON':
    case 'NOTON': {
      const on = conditionPredicate({ ...condition, operator: 'BETWEEN' }, kind, read, constant);
      return condition.operator === 'ON' ? on : not(on);
    }
    case 'GT_FIELD':
    case 'LT_FIELD':
    case 'GT_OR_EQUALS_FIELD':
    case 'LT_OR_EQUALS_FIELD': {
      const readOther = other ?? (() => '');
      const compare = comparatorFor(kind);
      const accept = FIELD_ORDER_TESTS[condition.operator];
      return (r) => {
        const a = read(r);
        if (a === '') return false;
        const b = readOther(r);
        if (b === '') return false;
        const d = compare(a, b);
        return d === d && accept(d);
      };
    }
    case 'BETWEEN': {
      const at = constant.indexOf('@');
      const low = constantComparator(kind, constant.slice(0, at));
      const high = constantComparator(kind, constant.slice(at + 1));
      return (r) => {
        const v = read(r);
        return v !== '' && low(v) >= 0 && high(v) <= 0;
      };
    }
    case 'SAMEAS':
    case 'NSAMEAS': {
      const readOther = other ?? (() => '');
      const compare = comparatorFor(kind);
      // Like SQL's `a = b`: an empty side is never the same as anything.
      const same: Predicate = (r) => {
        const a = read(r);
        if (a === '') return false;
        const b = readOther(r);
        return b !== '' && compare(a, b) === 0;
      };
      return condition.operator === 'SAMEAS' ? same : not(same);
    }
  }
}
