// sysparm_* text of a stats request -> a checked plan. Every problem is an AggregateParamError naming the
// parameter and the piece that is wrong, before a single row is read.
import { kindOf, type ValueKind } from '../query/kinds.js';
import type { FieldType } from '../query/types.js';
import { AggregateParamError, type AggregateEnvironment, type AggregateParams } from './types.js';

export type FieldAggregate = 'avg' | 'min' | 'max' | 'sum';
export type AggregateName = FieldAggregate | 'count';
export type HavingOperator = '=' | '!=' | '>' | '>=' | '<' | '<=';

export interface FieldSpec {
  readonly path: string;
  readonly type: FieldType;
  readonly kind: ValueKind;
}

/** One aggregate the engine must compute: count, or an aggregate of one field. */
export interface Measure {
  readonly aggregate: AggregateName;
  /** Absent for count. */
  readonly field?: FieldSpec;
}

export interface HavingTerm {
  readonly measure: Measure;
  readonly operator: HavingOperator;
  readonly value: string;
}

export type OrderKey = { readonly groupIndex: number } | { readonly measure: Measure };

export interface OrderSpec {
  readonly key: OrderKey;
  readonly descending: boolean;
}

export interface AggregatePlan {
  readonly count: boolean;
  /** Fields to report per aggregate, in the order requested. */
  readonly reported: Readonly<Record<FieldAggregate, readonly FieldSpec[]>>;
  readonly groupBy: readonly FieldSpec[];
  readonly having: readonly HavingTerm[];
  readonly orderBy: readonly OrderSpec[];
  /** Every field any aggregate needs, once each. */
  readonly measuredFields: readonly FieldSpec[];
}

const AGGREGATES: ReadonlySet<string> = new Set(['avg', 'min', 'max', 'sum', 'count']);
const HAVING_OPERATORS: readonly HavingOperator[] = ['>=', '<=', '!=', '=', '>', '<'];
// Booleans count as 0/1: an instance computes aggregates in the database, where a boolean column is 0 or 1
// (the WSO2 connector's getAggregateRecord sample averages one and gets a 200).
const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['integer', 'decimal', 'choice', 'boolean']);

function list(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function field(env: AggregateEnvironment, path: string, parameter: string): FieldSpec {
  const type = env.fieldType(path);
  if (type === undefined) throw new AggregateParamError(`${parameter}: unknown field '${path}'`);
  return { path, type, kind: kindOf(type) };
}

/** avg and sum only make sense on numbers; ServiceNow's choices (priority, state) are numbers too, booleans 0/1. */
function checkNumeric(aggregate: AggregateName, spec: FieldSpec, parameter: string): void {
  if ((aggregate === 'avg' || aggregate === 'sum') && !NUMERIC_TYPES.has(spec.type)) {
    throw new AggregateParamError(`${parameter}: ${aggregate} needs a numeric field, but '${spec.path}' is of type ${spec.type}`);
  }
}

function parseFlag(value: string | undefined, parameter: string): boolean {
  const flag = value?.toLowerCase();
  if (flag === undefined || flag === '' || flag === 'false') return false;
  if (flag === 'true') return true;
  throw new AggregateParamError(`${parameter}: expected true or false, got '${value}'`);
}

function parseHaving(text: string, env: AggregateEnvironment): HavingTerm {
  const parts = text.split('^');
  if (parts.length !== 4) {
    throw new AggregateParamError(`sysparm_having: '${text}' must be aggregate^field^operator^value (for example count^priority^>^3)`);
  }
  const [rawAggregate, path, operator, value] = parts;
  const aggregate = rawAggregate.toLowerCase();
  if (!AGGREGATES.has(aggregate)) {
    throw new AggregateParamError(`sysparm_having: unknown aggregate '${rawAggregate}' in '${text}' (use count, avg, min, max or sum)`);
  }
  if (!HAVING_OPERATORS.includes(operator as HavingOperator)) {
    throw new AggregateParamError(`sysparm_having: unknown operator '${operator}' in '${text}' (use =, !=, >, >=, < or <=)`);
  }
  if (value === '') throw new AggregateParamError(`sysparm_having: '${text}' has no value to compare with`);
  const spec = field(env, path, 'sysparm_having');
  checkNumeric(aggregate as AggregateName, spec, 'sysparm_having');
  const measure: Measure = aggregate === 'count' ? { aggregate: 'count' } : { aggregate: aggregate as FieldAggregate, field: spec };
  return { measure, operator: operator as HavingOperator, value };
}

function parseOrder(text: string, groupBy: readonly FieldSpec[], env: AggregateEnvironment): OrderSpec {
  const parts = text.split('^');
  let descending = false;
  const last = parts[parts.length - 1].toUpperCase();
  if (parts.length > 1 && (last === 'DESC' || last === 'ASC')) {
    descending = last === 'DESC';
    parts.pop();
  }
  const groupIndex = parts.length === 1 ? groupBy.findIndex((g) => g.path === parts[0]) : -1;
  if (groupIndex >= 0) return { key: { groupIndex }, descending };
  const aggregate = parts[0].toLowerCase();
  if (AGGREGATES.has(aggregate)) {
    if (aggregate === 'count') {
      if (parts.length !== 1) throw new AggregateParamError(`sysparm_order_by: COUNT takes no field, got '${text}'`);
      return { key: { measure: { aggregate: 'count' } }, descending };
    }
    if (parts.length !== 2 || parts[1] === '') throw new AggregateParamError(`sysparm_order_by: '${text}' must name a field, as in AVG^priority`);
    const spec = field(env, parts[1], 'sysparm_order_by');
    checkNumeric(aggregate as AggregateName, spec, 'sysparm_order_by');
    return { key: { measure: { aggregate: aggregate as FieldAggregate, field: spec } }, descending };
  }
  if (parts.length === 1 && env.fieldType(parts[0]) !== undefined) {
    throw new AggregateParamError(`sysparm_order_by: '${parts[0]}' is not one of the sysparm_group_by fields`);
  }
  throw new AggregateParamError(`sysparm_order_by: '${text}' is neither a group-by field nor COUNT or AGG^field (AVG, MIN, MAX, SUM)`);
}

export function planAggregate(params: AggregateParams, env: AggregateEnvironment): AggregatePlan {
  const reported = { avg: [] as FieldSpec[], min: [] as FieldSpec[], max: [] as FieldSpec[], sum: [] as FieldSpec[] };
  const sources: Record<FieldAggregate, [string | undefined, string]> = {
    avg: [params.avgFields, 'sysparm_avg_fields'],
    min: [params.minFields, 'sysparm_min_fields'],
    max: [params.maxFields, 'sysparm_max_fields'],
    sum: [params.sumFields, 'sysparm_sum_fields'],
  };
  for (const aggregate of ['avg', 'min', 'max', 'sum'] as const) {
    const [text, parameter] = sources[aggregate];
    for (const path of list(text)) {
      const spec = field(env, path, parameter);
      checkNumeric(aggregate, spec, parameter);
      if (!reported[aggregate].some((s) => s.path === path)) reported[aggregate].push(spec);
    }
  }
  const groupBy: FieldSpec[] = [];
  for (const path of list(params.groupBy)) {
    if (!groupBy.some((g) => g.path === path)) groupBy.push(field(env, path, 'sysparm_group_by'));
  }
  const having = list(params.having).map((term) => parseHaving(term, env));
  if (having.length > 0 && groupBy.length === 0) {
    throw new AggregateParamError('sysparm_having filters groups, so it needs sysparm_group_by');
  }
  const orderBy = list(params.orderBy).map((term) => parseOrder(term, groupBy, env));

  const measured = new Map<string, FieldSpec>();
  const note = (spec: FieldSpec | undefined): void => {
    if (spec !== undefined && !measured.has(spec.path)) measured.set(spec.path, spec);
  };
  for (const aggregate of ['avg', 'min', 'max', 'sum'] as const) reported[aggregate].forEach(note);
  having.forEach((h) => note(h.measure.field));
  orderBy.forEach((o) => ('measure' in o.key ? note(o.key.measure.field) : undefined));

  return {
    count: parseFlag(params.count, 'sysparm_count'),
    reported,
    groupBy,
    having,
    orderBy,
    measuredFields: [...measured.values()],
  };
}
