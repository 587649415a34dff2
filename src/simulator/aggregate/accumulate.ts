// One pass over the rows: per group, a row count and per measured field a running sum, count and min/max.
import { comparatorFor, toBoolean, toNumber } from '../query/kinds.js';
import type { RecordValues } from '../query/types.js';
import type { FieldSpec } from './params.js';
import type { AggregateEnvironment } from './types.js';

/** Running aggregates of one field within one group; empty values are skipped, as SQL skips NULL. */
export interface FieldTotals {
  sum: number;
  /** Non-empty numeric values added to `sum`. */
  numbers: number;
  /** Smallest and largest non-empty values, compared by field type; '' while none was seen. */
  min: string;
  max: string;
}

export interface Group {
  /** Raw values of the group-by fields, in their order. */
  readonly values: readonly string[];
  /** A record of the group, to ask the environment for display values. */
  readonly sample: RecordValues;
  count: number;
  /** Parallel to AggregatePlan.measuredFields. */
  readonly totals: FieldTotals[];
}

export function accumulate(
  rows: Iterable<RecordValues>,
  groupBy: readonly FieldSpec[],
  measured: readonly FieldSpec[],
  env: AggregateEnvironment,
): Group[] {
  const groups = new Map<string, Group>();
  const compares = measured.map((f) => comparatorFor(f.kind));
  const paths = measured.map((f) => f.path);
  const numberOf = measured.map((f) => (f.kind === 'boolean' ? toBoolean : toNumber));
  const groupPaths = groupBy.map((g) => g.path);
  for (const row of rows) {
    let key = '';
    for (let i = 0; i < groupPaths.length; i++) key += (i === 0 ? '' : '\u0000') + env.value(row, groupPaths[i]);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        values: groupPaths.map((p) => env.value(row, p)),
        sample: row,
        count: 0,
        totals: measured.map(() => ({ sum: 0, numbers: 0, min: '', max: '' })),
      };
      groups.set(key, group);
    }
    group.count++;
    for (let i = 0; i < paths.length; i++) {
      const v = env.value(row, paths[i]);
      if (v === '') continue;
      const t = group.totals[i];
      const n = numberOf[i](v);
      if (n === n) {
        t.sum += n;
        t.numbers++;
      }
      if (t.min === '' || compares[i](v, t.min) < 0) t.min = v;
      if (t.max === '' || compares[i](v, t.max) > 0) t.max = v;
    }
  }
  return [...groups.values()];
}
