// Contract between the simulator's store/HTTP layer and its encoded-query engine.
// The engine is pure: it never touches the store directly, only through QueryEnvironment.

/** A stored record: every value is a string, as ServiceNow returns them; references hold the target sys_id. */
export type RecordValues = Readonly<Record<string, string>>;

/** ServiceNow internal types the simulator models; enough to compare values the way ServiceNow does. */
export type FieldType =
  | 'string'
  | 'integer'
  | 'decimal'
  | 'boolean'
  | 'glide_date_time'
  | 'glide_date'
  | 'reference'
  | 'choice'
  | 'sys_id'
  | 'journal';

/** What the engine needs to know about the table being queried. */
export interface QueryEnvironment {
  /** Type of a field or dot-walked path (`caller_id.name`), or undefined when the path does not exist. */
  fieldType(path: string): FieldType | undefined;
  /** Value of a field or dot-walked path on a record; '' when empty or unreachable. */
  value(record: RecordValues, path: string): string;
  /** `glide.invalid_query.returns_no_rows`: a condition on an unknown field matches nothing instead of being ignored. */
  readonly invalidQueryReturnsNoRows: boolean;
  /** Whether `^^` inside a value stands for a literal `^` (default true). */
  readonly caretEscape?: boolean;
  /** Clock for `javascript:gs.daysAgoStart(n)`-style values, epoch milliseconds (default Date.now). */
  now?(): number;
}

export interface OrderTerm {
  readonly field: string;
  readonly descending: boolean;
}

export interface CompiledQuery {
  /** True when the record satisfies the query (all ^NQ groups ORed). */
  matches(record: RecordValues): boolean;
  /** ORDERBY / ORDERBYDESC terms in the order written. */
  readonly orderBy: readonly OrderTerm[];
  /** Type-aware comparator for the ORDERBY terms (0 when there are none). */
  compare(a: RecordValues, b: RecordValues): number;
  /** Field paths named by the query's conditions (including a SAMEAS/NSAMEAS target) that do not exist on the table. */
  readonly unknownFields: readonly string[];
  /** ORDERBY fields that do not exist: ServiceNow ignores them, so they never empty the result. */
  readonly unknownOrderByFields?: readonly string[];
  /** The query as parsed (for fast paths such as keyset paging on sys_id). */
  readonly parsed?: ParsedQuery;
}

/** Thrown for a query that cannot be parsed (unknown operator, BETWEEN without '@', ...). */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly query: string,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

export type Operator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'NOT LIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | 'IN'
  | 'NOT IN'
  | 'ISEMPTY'
  | 'ISNOTEMPTY'
  | 'ANYTHING'
  | 'BETWEEN'
  | 'SAMEAS'
  | 'NSAMEAS'
  // Written by ServiceNow's condition builder; supported as an extension (see README.md).
  | 'EMPTYSTRING'
  | 'GT_FIELD'
  | 'LT_FIELD'
  | 'GT_OR_EQUALS_FIELD'
  | 'LT_OR_EQUALS_FIELD'
  | 'ON'
  | 'NOTON'
  | 'RELATIVEGT'
  | 'RELATIVEGE'
  | 'RELATIVELT'
  | 'RELATIVELE';

export interface Condition {
  /** Field or dot-walked path. */
  readonly field: string;
  readonly operator: Operator;
  /** Raw value with `^^` already unescaped; '' for unary operators. */
  readonly value: string;
}

/** One `^NQ` group: a conjunction of disjunctions (`^OR` binds tighter than `^`). */
export interface QueryGroup {
  /** AND over the outer array, OR over each inner array. */
  readonly clauses: readonly (readonly Condition[])[];
}

/** A parsed encoded query: groups separated by `^NQ` are ORed. */
export interface ParsedQuery {
  readonly groups: readonly QueryGroup[];
  readonly orderBy: readonly OrderTerm[];
}

/**
 * Implemented in ./index.ts:
 *   parseEncodedQuery(text: string, options?: { caretEscape?: boolean }): ParsedQuery   (throws QuerySyntaxError)
 *   compileQuery(text: string | ParsedQuery, env: QueryEnvironment): CompiledQuery       (throws QuerySyntaxError)
 * The simulator may inspect the ParsedQuery for fast paths (e.g. keyset paging on sys_id).
 */
