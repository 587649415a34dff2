/**
 * The simulator's Aggregate API engine (GET /api/now/stats/{table}): computes the value of `result`.
 *
 * - Without sysparm_group_by: `{stats: {count?, avg?, min?, max?, sum?}}`; with it, an array of
 *   `{stats, groupby_fields: [{field, value}]}`, one entry per distinct combination of group-by values.
 * - `count` appears only with sysparm_count=true (grouping alone does not add it); an empty stats object is
 *   what ServiceNow answers when no aggregate was asked for.
 * - Numbers are strings: avg with four decimals ("2.5000"), sums of integers as integers, min/max as the stored
 *   value (compared by field type: numbers numerically, dates and text as text). Empty values are skipped as SQL
 *   skips NULL; an aggregate over nothing is "".
 * - avg/sum need a numeric field (integer, decimal, or choice such as priority); other types are refused.
 * - sysparm_having: comma-separated `aggregate^field^operator^value`, operators = != > >= < <=; needs group by.
 * - sysparm_order_by: comma-separated `field`, `field^DESC`, `COUNT`, `COUNT^DESC`, `AVG^field[^DESC]`...;
 *   groups are otherwise ordered by their group-by values ascending (empty first).
 * - sysparm_display_value: `false` -> value only; `true` -> value and display_value both hold the display value;
 *   `all` -> raw value plus display_value (unless env.groupDisplayValueWithAll is false). See ../query/README.md.
 * - Bad parameters throw AggregateParamError naming the parameter.
 */
import { comparatorFor, toNumber } from '../query/kinds.js';
import type { RecordValues } from '../query/types.js';
import { accumulate, type Group } from './accumulate.js';
import { measureValue } from './measure.js';
import { planAggregate, type AggregatePlan, type HavingTerm, type OrderSpec } from './params.js';
import { AggregateParamError, type AggregateEnvironment, type AggregateParams, type DisplayValueMode } from './types.js';

export { AggregateParamError } from './types.js';
export type { AggregateEnvironment, AggregateParams, DisplayValueMode } from './types.js';

export interface GroupByField {
  field: string;
  value: string;
  display_value?: string;
}

export type Stats = Record<string, string | Record<string, string>>;

export interface GroupResult {
  stats: Stats;
  groupby_fields: GroupByField[];
}

function statsOf(group: Group, plan: AggregatePlan): Stats {
  const stats: Stats = {};
  if (plan.count) stats.count = String(group.count);
  for (const aggregate of ['avg', 'min', 'max', 'sum'] as const) {
    const fields = plan.reported[aggregate];
    if (fields.length === 0) continue;
    const values: Record<string, string> = {};
    for (const spec of fields) values[spec.path] = measureValue(group, { aggregate, field: spec }, plan);
    stats[aggregate] = values;
  }
  return stats;
}

function passesHaving(group: Group, term: HavingTerm, plan: AggregatePlan): boolean {
  const actual = measureValue(group, term.measure, plan);
  if (actual === '') return false;
  const { aggregate, field } = term.measure;
  let d: number;
  if (aggregate === 'min' || aggregate === 'max') d = comparatorFor(field!.kind)(actual, term.value);
  else d = toNumber(actual) - toNumber(term.value);
  if (d !== d) return false;
  switch (term.operator) {
    case '=':
      return d === 0;
    case '!=':
      return d !== 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
  }
}

/** Empty first, then by type; a NaN comparison (text in a number column) falls back to plain text order. */
function compareValues(a: string, b: string, compare: (a: string, b: string) => number): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  const d = compare(a, b);
  return d === d ? d : a < b ? -1 : 1;
}

function groupComparator(plan: AggregatePlan): (a: Group, b: Group) => number {
  const terms: ((a: Group, b: Group) => number)[] = [];
  const explicit: readonly OrderSpec[] = plan.orderBy;
  for (const spec of explicit) {
    const sign = spec.descending ? -1 : 1;
    const key = spec.key;
    if ('groupIndex' in key) {
      const compare = comparatorFor(plan.groupBy[key.groupIndex].kind);
      terms.push((a, b) => sign * compareValues(a.values[key.groupIndex], b.values[key.groupIndex], compare));
    } else {
      const measure = key.measure;
      const numeric = measure.aggregate === 'count' || measure.aggregate === 'avg' || measure.aggregate === 'sum';
      const compare = numeric ? (x: string, y: string) => toNumber(x) - toNumber(y) : comparatorFor(measure.field!.kind);
      terms.push((a, b) => sign * compareValues(measureValue(a, measure, plan), measureValue(b, measure, plan), compare));
    }
  }
  // Whatever the explicit order leaves tied is ordered by the group-by values, ascending.
  plan.groupBy.forEach((spec, i) => {
    const compare = comparatorFor(spec.kind);
    terms.push((a, b) => compareValues(a.values[i], b.values[i], compare));
  });
  return (a, b) => {
    for (const term of terms) {
      const d = term(a, b);
      if (d !== 0) return d;
    }
    return 0;
  };
}

function groupByFields(group: Group, plan: AggregatePlan, mode: DisplayValueMode, env: AggregateEnvironment): GroupByField[] {
  return plan.groupBy.map((spec, i) => {
    const value = group.values[i];
    if (mode === 'false') return { field: spec.path, value };
    const display = env.displayValue(group.sample, spec.path);
    if (mode === 'true') return { field: spec.path, value: display, display_value: display };
    return env.groupDisplayValueWithAll === false ? { field: spec.path, value } : { field: spec.path, value, display_value: display };
  });
}

function displayMode(value: string | undefined): DisplayValueMode {
  if (value === undefined || value === '') return 'false';
  if (value === 'true' || value === 'false' || value === 'all') return value;
  throw new AggregateParamError(`sysparm_display_value: expected true, false or all, got '${value}'`);
}

/** Computes the `result` of a stats request over the rows that already matched sysparm_query. */
export function computeAggregate(rows: Iterable<RecordValues>, params: AggregateParams, env: AggregateEnvironment): { stats: Stats } | GroupResult[] {
  const plan = planAggregate(params, env);
  const mode = displayMode(params.displayValue);
  const groups = accumulate(rows, plan.groupBy, plan.measuredFields, env);
  if (plan.groupBy.length === 0) {
    const all = groups[0] ?? { values: [], sample: {}, count: 0, totals: plan.measuredFields.map(() => ({ sum: 0, numbers: 0, min: '', max: '' })) };
    return { stats: statsOf(all, plan) };
  }
  return groups
    .filter((g) => plan.having.every((term) => passesHaving(g, term, plan)))
    .sort(groupComparator(plan))
    .map((g) => ({ stats: statsOf(g, plan), groupby_fields: groupByFields(g, plan, mode, env) }));
}
