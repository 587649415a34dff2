// The value of one aggregate for one group, as ServiceNow writes it: a string, '' when there is nothing to aggregate.
import type { Group } from './accumulate.js';
import type { AggregatePlan, FieldSpec, Measure } from './params.js';

/** Sums of integers stay integers; decimals lose float noise (0.1 + 0.2 -> 0.3). */
function formatSum(sum: number, spec: FieldSpec): string {
  if (spec.type === 'integer' || Number.isInteger(sum)) return String(Math.round(sum));
  return String(Number(sum.toFixed(6)));
}

export function measureValue(group: Group, measure: Measure, plan: AggregatePlan): string {
  if (measure.aggregate === 'count') return String(group.count);
  const spec = measure.field as FieldSpec;
  const t = group.totals[plan.measuredFields.findIndex((f) => f.path === spec.path)];
  switch (measure.aggregate) {
    case 'avg':
      return t.numbers === 0 ? '' : (t.sum / t.numbers).toFixed(4);
    case 'sum':
      return t.numbers === 0 ? '' : formatSum(t.sum, spec);
    case 'min':
      return t.min;
    case 'max':
      return t.max;
  }
}
