import { describe, expect, it } from 'vitest';
import { AggregateParamError, computeAggregate, type AggregateEnvironment } from '../../../src/simulator/aggregate/index.js';
import type { FieldType, RecordValues } from '../../../src/simulator/query/index.js';

const TYPES: Record<string, FieldType> = {
  number: 'string',
  priority: 'choice',
  category: 'string',
  reassignment_count: 'integer',
  cost: 'decimal',
  opened_at: 'glide_date_time',
  assignment_group: 'reference',
  short_description: 'string',
};
const PRIORITY_LABELS: Record<string, string> = { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate' };
const GROUP_NAMES: Record<string, string> = { g1: 'Network', g2: 'Database' };

function environment(extra: Partial<AggregateEnvironment> = {}): AggregateEnvironment {
  return {
    fieldType: (path) => TYPES[path],
    value: (record, path) => record[path] ?? '',
    displayValue(record, path) {
      const v = record[path] ?? '';
      if (path === 'priority') return PRIORITY_LABELS[v] ?? v;
      if (path === 'assignment_group') return GROUP_NAMES[v] ?? '';
      return v;
    },
    ...extra,
  };
}

const ROWS: RecordValues[] = [
  { number: 'INC1', priority: '1', category: 'network', reassignment_count: '2', cost: '0.1', opened_at: '2024-01-02 00:00:00', assignment_group: 'g1' },
  { number: 'INC2', priority: '1', category: 'software', reassignment_count: '4', cost: '0.2', opened_at: '2024-03-01 00:00:00', assignment_group: 'g1' },
  { number: 'INC3', priority: '2', category: 'network', reassignment_count: '', cost: '10', opened_at: '2023-12-31 23:59:59', assignment_group: 'g2' },
  { number: 'INC4', priority: '3', category: 'Hardware', reassignment_count: '7', cost: '', opened_at: '', assignment_group: '' },
  { number: 'INC5', priority: '3', category: 'network', reassignment_count: '10', cost: '1.5', opened_at: '2024-02-10 10:00:00', assignment_group: 'g2' },
];

const stats = (params: Parameters<typeof computeAggregate>[1], env = environment()) => computeAggregate(ROWS, params, env);

describe('aggregates without grouping', () => {
  it('count, avg, min, max and sum as ServiceNow writes them', () => {
    expect(
      stats({ count: 'true', avgFields: 'priority,reassignment_count', minFields: 'priority,opened_at,number', maxFields: 'reassignment_count,category', sumFields: 'reassignment_count,cost' }),
    ).toEqual({
      stats: {
        count: '5',
        avg: { priority: '2.0000', reassignment_count: '5.7500' },
        min: { priority: '1', opened_at: '2023-12-31 23:59:59', number: 'INC1' },
        max: { reassignment_count: '10', category: 'software' },
        sum: { reassignment_count: '23', cost: '11.8' },
      },
    });
  });

  it('numbers compare numerically in min/max (10 > 7), text case-insensitively', () => {
    expect(stats({ minFields: 'category', maxFields: 'reassignment_count' })).toEqual({ stats: { min: { category: 'Hardware' }, max: { reassignment_count: '10' } } });
  });

  it('count only when asked; nothing asked gives empty stats', () => {
    expect(stats({ avgFields: 'priority' })).toEqual({ stats: { avg: { priority: '2.0000' } } });
    expect(stats({})).toEqual({ stats: {} });
    expect(stats({ count: 'false' })).toEqual({ stats: {} });
  });

  it('no rows: count 0 and empty aggregates', () => {
    expect(computeAggregate([], { count: 'true', avgFields: 'priority', sumFields: 'cost', maxFields: 'number' }, environment())).toEqual({
      stats: { count: '0', avg: { priority: '' }, max: { number: '' }, sum: { cost: '' } },
    });
  });
});

describe('aggregates with grouping', () => {
  it('one entry per group, ordered by the group value, with groupby_fields', () => {
    expect(stats({ count: 'true', groupBy: 'priority', avgFields: 'reassignment_count' })).toEqual([
      { stats: { count: '2', avg: { reassignment_count: '3.0000' } }, groupby_fields: [{ field: 'priority', value: '1' }] },
      { stats: { count: '1', avg: { reassignment_count: '' } }, groupby_fields: [{ field: 'priority', value: '2' }] },
      { stats: { count: '2', avg: { reassignment_count: '8.5000' } }, groupby_fields: [{ field: 'priority', value: '3' }] },
    ]);
  });

  it('groups by several fields; the empty value is a group of its own and sorts first', () => {
    const result = stats({ count: 'true', groupBy: 'assignment_group,category' }) as { groupby_fields: { value: string }[]; stats: { count: string } }[];
    expect(result.map((g) => [g.groupby_fields.map((f) => f.value).join('/'), g.stats.count])).toEqual([
      ['/Hardware', '1'],
      ['g1/network', '1'],
      ['g1/software', '1'],
      ['g2/network', '2'],
    ]);
  });

  it('grouping without count reports only the requested aggregates', () => {
    expect(stats({ groupBy: 'assignment_group', sumFields: 'cost' })).toEqual([
      { stats: { sum: { cost: '' } }, groupby_fields: [{ field: 'assignment_group', value: '' }] },
      { stats: { sum: { cost: '0.3' } }, groupby_fields: [{ field: 'assignment_group', value: 'g1' }] },
      { stats: { sum: { cost: '11.5' } }, groupby_fields: [{ field: 'assignment_group', value: 'g2' }] },
    ]);
  });

  it('having filters groups; several filters all apply', () => {
    const counts = (having: string) =>
      (stats({ count: 'true', groupBy: 'priority', having }) as { groupby_fields: { value: string }[] }[]).map((g) => g.groupby_fields[0].value);
    expect(counts('count^priority^>^1')).toEqual(['1', '3']);
    expect(counts('count^priority^=^1')).toEqual(['2']);
    expect(counts('avg^reassignment_count^>=^3')).toEqual(['1', '3']);
    expect(counts('count^priority^>^1,avg^reassignment_count^>^5')).toEqual(['3']);
    expect(counts('max^category^=^software')).toEqual(['1']);
    expect(counts('sum^reassignment_count^<=^6')).toEqual(['1']);
  });

  it('order by a group field, COUNT and AGG^field, ascending or descending', () => {
    const order = (orderBy: string, groupBy = 'priority') =>
      (stats({ count: 'true', groupBy, orderBy }) as { groupby_fields: { value: string }[] }[]).map((g) => g.groupby_fields[0].value);
    expect(order('priority^DESC')).toEqual(['3', '2', '1']);
    expect(order('COUNT')).toEqual(['2', '1', '3']);
    expect(order('COUNT^DESC')).toEqual(['1', '3', '2']);
    expect(order('AVG^reassignment_count^DESC')).toEqual(['3', '1', '2']);
    expect(order('AVG^reassignment_count')).toEqual(['2', '1', '3']);
    expect(order('MAX^opened_at^DESC', 'category')).toEqual(['software', 'network', 'Hardware']);
  });

  it('display values: false, true and all (switchable)', () => {
    const fields = (displayValue: 'true' | 'false' | 'all', env = environment()) =>
      (computeAggregate(ROWS.slice(0, 1), { groupBy: 'priority,assignment_group', displayValue }, env) as { groupby_fields: unknown[] }[])[0].groupby_fields;
    expect(fields('false')).toEqual([
      { field: 'priority', value: '1' },
      { field: 'assignment_group', value: 'g1' },
    ]);
    expect(fields('true')).toEqual([
      { field: 'priority', value: '1 - Critical', display_value: '1 - Critical' },
      { field: 'assignment_group', value: 'Network', display_value: 'Network' },
    ]);
    expect(fields('all')).toEqual([
      { field: 'priority', value: '1', display_value: '1 - Critical' },
      { field: 'assignment_group', value: 'g1', display_value: 'Network' },
    ]);
    expect(fields('all', environment({ groupDisplayValueWithAll: false }))).toEqual([
      { field: 'priority', value: '1' },
      { field: 'assignment_group', value: 'g1' },
    ]);
  });
});

describe('bad parameters', () => {
  const cases: [string, Parameters<typeof computeAggregate>[1], RegExp][] = [
    ['unknown field', { avgFields: 'nope' }, /sysparm_avg_fields: unknown field 'nope'/],
    ['avg of text', { avgFields: 'short_description' }, /avg needs a numeric field.*short_description.*string/],
    ['sum of a date', { sumFields: 'opened_at' }, /sysparm_sum_fields: sum needs a numeric field/],
    ['unknown group field', { groupBy: 'nope' }, /sysparm_group_by: unknown field 'nope'/],
    ['unknown aggregate in having', { groupBy: 'priority', having: 'median^priority^>^1' }, /unknown aggregate 'median'/],
    ['malformed having', { groupBy: 'priority', having: 'count^priority^>' }, /aggregate\^field\^operator\^value/],
    ['bad having operator', { groupBy: 'priority', having: 'count^priority^LIKE^1' }, /unknown operator 'LIKE'/],
    ['having without group by', { having: 'count^priority^>^1' }, /needs sysparm_group_by/],
    ['order by a field not grouped', { groupBy: 'priority', orderBy: 'category' }, /'category' is not one of the sysparm_group_by fields/],
    ['order by nonsense', { groupBy: 'priority', orderBy: 'MEDIAN^priority' }, /neither a group-by field nor COUNT/],
    ['bad count flag', { count: 'yes' }, /sysparm_count: expected true or false/],
  ];
  it.each(cases)('%s', (_name, params, message) => {
    expect(() => stats(params)).toThrow(AggregateParamError);
    expect(() => stats(params)).toThrow(message);
  });

  it('bad display value mode', () => {
    expect(() => computeAggregate(ROWS, { displayValue: 'yes' as 'true' }, environment())).toThrow(/sysparm_display_value/);
  });
});
