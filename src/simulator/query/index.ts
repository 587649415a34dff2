/**
 * The simulator's encoded-query engine (ServiceNow `sysparm_query` syntax).
 *
 * - `^` is AND, `^OR` is OR and binds tighter than AND, `^NQ` starts a new query ORed with the previous ones.
 * - Operators: = != < <= > >= LIKE (contains) NOT LIKE STARTSWITH ENDSWITH IN NOT IN ISEMPTY ISNOTEMPTY ANYTHING
 *   BETWEEN (`low@high`, inclusive) SAMEAS NSAMEAS (compare with another field); dot-walked paths (`caller_id.name`).
 *   Extensions from the condition builder: EMPTYSTRING, GT_FIELD/LT_FIELD/GT_OR_EQUALS_FIELD/LT_OR_EQUALS_FIELD,
 *   ON/NOTON (`label@start@end`), RELATIVEGT/GE/LT/LE (`@hour@ago@3`).
 * - `ORDERBYfield` / `ORDERBYDESCfield`, several allowed; empty values sort first ascending, last descending.
 * - `^^` is a literal `^` inside a value (switch off with caretEscape: false). A trailing `^EQ` is ignored.
 * - Comparison by field type: numbers numerically, dates as `YYYY-MM-DD HH:mm:ss` text, booleans as true/false,
 *   choices numerically when both sides are numbers, all text case-insensitively (like ServiceNow on MySQL).
 * - Negative operators match empty values; positive ones (other than `=` with an empty value) never do.
 * - A condition on an unknown field is dropped, or empties the result when env.invalidQueryReturnsNoRows.
 * - `javascript:gs.daysAgoStart(n)` and a few other date helpers are resolved; any other script is refused.
 * - Malformed text throws QuerySyntaxError. README.md in this folder has the details and what is unconfirmed.
 */
export { parseEncodedQuery } from './parse.js';
export type { ParseOptions } from './parse.js';
export { compileQuery } from './compile.js';
export { formatEncodedQuery } from './format.js';
export type { FormatOptions } from './format.js';
export { QuerySyntaxError } from './types.js';
export type {
  CompiledQuery,
  Condition,
  FieldType,
  Operator,
  OrderTerm,
  ParsedQuery,
  QueryEnvironment,
  QueryGroup,
  RecordValues,
} from './types.js';
