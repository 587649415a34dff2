// Encoded query text -> ParsedQuery. Pure and strict: anything that is not a recognisable condition,
// ORDERBY term or separator throws QuerySyntaxError naming the piece and its position.
import { QuerySyntaxError } from './types.js';
import type { Condition, Operator, OrderTerm, ParsedQuery, QueryGroup } from './types.js';

export interface ParseOptions {
  /** Whether `^^` stands for a literal `^` inside a value (default true). */
  readonly caretEscape?: boolean;
}

const ALL_OPERATORS: readonly Operator[] = [
  '=', '!=', '<', '<=', '>', '>=', 'LIKE', 'NOT LIKE', 'STARTSWITH', 'ENDSWITH', 'IN', 'NOT IN',
  'ISEMPTY', 'ISNOTEMPTY', 'ANYTHING', 'BETWEEN', 'SAMEAS', 'NSAMEAS', 'EMPTYSTRING',
  'GT_FIELD', 'LT_FIELD', 'GT_OR_EQUALS_FIELD', 'LT_OR_EQUALS_FIELD',
  'ON', 'NOTON', 'RELATIVEGT', 'RELATIVEGE', 'RELATIVELT', 'RELATIVELE',
];

/** Tried longest first, so that `<=` wins over `<`, `ISNOTEMPTY` over nothing shorter, `GT_OR_EQUALS_FIELD` over `GT_FIELD`. */
const OPERATORS: readonly Operator[] = [...ALL_OPERATORS].sort((a, b) => b.length - a.length);

const UNARY: ReadonlySet<Operator> = new Set<Operator>(['ISEMPTY', 'ISNOTEMPTY', 'ANYTHING', 'EMPTYSTRING']);

/** Operators whose value names a second field of the same record. */
export const FIELD_OPERATORS: ReadonlySet<Operator> = new Set<Operator>([
  'SAMEAS',
  'NSAMEAS',
  'GT_FIELD',
  'LT_FIELD',
  'GT_OR_EQUALS_FIELD',
  'LT_OR_EQUALS_FIELD',
]);

/** `RELATIVEGT@hour@ago@3`: the value after the operator. */
export const RELATIVE_VALUE = /^@(minute|hour|dayofweek|day|week|month|quarter|year)@(ago|ahead)@(\d+)$/;

const FIELD_CHAR = /[a-z0-9_.]/;
const FIELD_PATH = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

/** One piece between separators, with the offset where it starts (for error messages). */
interface Segment {
  readonly text: string;
  readonly at: number;
}

/** Splits on `^`; with escaping on, `^^` is a literal `^` that belongs to the current piece. */
function splitSegments(text: string, caretEscape: boolean): Segment[] {
  const segments: Segment[] = [];
  let current = '';
  let start = 0;
  let from = 0;
  for (;;) {
    const caret = text.indexOf('^', from);
    if (caret < 0) break;
    current += text.slice(from, caret);
    if (caretEscape && text.charCodeAt(caret + 1) === 94 /* ^ */) {
      current += '^';
      from = caret + 2;
      continue;
    }
    segments.push({ text: current, at: start });
    current = '';
    from = start = caret + 1;
  }
  segments.push({ text: current + text.slice(from), at: start });
  return segments;
}

function fail(message: string, query: string): never {
  throw new QuerySyntaxError(message, query);
}

function parseCondition(segment: Segment, query: string): Condition {
  const text = segment.text;
  let end = 0;
  while (end < text.length && FIELD_CHAR.test(text[end])) end++;
  const field = text.slice(0, end);
  if (field === '') {
    fail(`Invalid encoded query: condition '${text}' at position ${segment.at} has no field name (field names are lowercase letters, digits, '_' and '.')`, query);
  }
  if (!FIELD_PATH.test(field)) {
    fail(`Invalid encoded query: '${field}' at position ${segment.at} is not a valid field path`, query);
  }
  const operator = OPERATORS.find((op) => text.startsWith(op, end));
  if (operator === undefined) {
    const rest = text.slice(end);
    fail(
      rest === ''
        ? `Invalid encoded query: condition '${text}' at position ${segment.at} has no operator`
        : `Invalid encoded query: unknown operator in '${text}' at position ${segment.at} (after field '${field}': '${rest.slice(0, 20)}')`,
      query,
    );
  }
  const value = text.slice(end + operator.length);
  if (UNARY.has(operator) && value !== '') {
    fail(`Invalid encoded query: ${operator} takes no value, but '${field}${operator}' at position ${segment.at} is followed by '${value}'`, query);
  }
  if (operator === 'BETWEEN') {
    const at = value.indexOf('@');
    if (at < 0) fail(`Invalid encoded query: BETWEEN needs 'low@high', got '${value}' for field '${field}'`, query);
    if (at === 0 || at === value.length - 1) {
      fail(`Invalid encoded query: BETWEEN needs both bounds in 'low@high', got '${value}' for field '${field}'`, query);
    }
  }
  if ((operator === 'ON' || operator === 'NOTON') && value.split('@').length !== 3) {
    fail(`Invalid encoded query: ${operator} needs 'label@start@end' (as in ONToday@javascript:gs.beginningOfToday()@javascript:gs.endOfToday()), got '${value}' for field '${field}'`, query);
  }
  if (operator.startsWith('RELATIVE') && !RELATIVE_VALUE.test(value)) {
    fail(`Invalid encoded query: ${operator} needs '@unit@ago|ahead@count' (as in ${operator}@hour@ago@3), got '${value}' for field '${field}'`, query);
  }
  if (FIELD_OPERATORS.has(operator) && !FIELD_PATH.test(value)) {
    fail(`Invalid encoded query: ${operator} compares '${field}' with another field, but '${value}' is not a field name`, query);
  }
  return { field, operator, value };
}

function parseOrderBy(segment: Segment, query: string): OrderTerm {
  const descending = segment.text.startsWith('ORDERBYDESC');
  const field = segment.text.slice(descending ? 'ORDERBYDESC'.length : 'ORDERBY'.length);
  if (field === '') fail(`Invalid encoded query: ${descending ? 'ORDERBYDESC' : 'ORDERBY'} at position ${segment.at} names no field`, query);
  if (!FIELD_PATH.test(field)) fail(`Invalid encoded query: '${field}' in ORDERBY at position ${segment.at} is not a valid field path`, query);
  return { field, descending };
}

/** Parses ServiceNow's encoded query syntax; see README.md in this folder for every rule. */
export function parseEncodedQuery(text: string, options: ParseOptions = {}): ParsedQuery {
  const caretEscape = options.caretEscape ?? true;
  const groups: QueryGroup[] = [];
  const orderBy: OrderTerm[] = [];
  let clauses: Condition[][] = [];

  const closeGroup = (): void => {
    if (clauses.length > 0) groups.push({ clauses });
    clauses = [];
  };

  if (text !== '') {
    for (const segment of splitSegments(text, caretEscape)) {
      const piece = segment.text;
      // `EQ` ends a query copied from a list URL; empty pieces come from `^` at either end or `^^` with escaping off.
      if (piece === '' || piece === 'EQ') continue;
      if (piece.startsWith('ORDERBY')) {
        orderBy.push(parseOrderBy(segment, text));
      } else if (piece.startsWith('NQ')) {
        closeGroup();
        const rest = piece.slice(2);
        if (rest !== '') clauses.push([parseCondition({ text: rest, at: segment.at + 2 }, text)]);
      } else if (piece.startsWith('OR')) {
        const last = clauses[clauses.length - 1];
        if (last === undefined) fail(`Invalid encoded query: ^OR at position ${segment.at} has no condition before it to join`, text);
        last.push(parseCondition({ text: piece.slice(2), at: segment.at + 2 }, text));
      } else {
        clauses.push([parseCondition(segment, text)]);
      }
    }
  }
  closeGroup();
  return { groups, orderBy };
}
