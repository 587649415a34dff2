// A tiny in-memory "incident" table with a reference to "sys_user", enough to exercise every operator.
import type { FieldType, QueryEnvironment, RecordValues } from '../../../src/simulator/query/index.js';

export const USERS: Record<string, RecordValues> = {
  u1: { sys_id: 'u1', name: 'Abel Tuter', active: 'true' },
  u2: { sys_id: 'u2', name: 'Beth Anglin', active: 'false' },
};

const INCIDENT_FIELDS: Record<string, FieldType> = {
  number: 'string',
  short_description: 'string',
  priority: 'choice',
  state: 'choice',
  reassignment_count: 'integer',
  cost: 'decimal',
  active: 'boolean',
  opened_at: 'glide_date_time',
  due_date: 'glide_date',
  caller_id: 'reference',
  opened_by: 'reference',
  sys_id: 'sys_id',
  category: 'string',
  subcategory: 'string',
};

const USER_FIELDS: Record<string, FieldType> = { sys_id: 'sys_id', name: 'string', active: 'boolean' };

const REFERENCES: Record<string, Record<string, RecordValues>> = { caller_id: USERS, opened_by: USERS };

export function environment(options: Partial<Pick<QueryEnvironment, 'invalidQueryReturnsNoRows' | 'caretEscape' | 'now'>> = {}): QueryEnvironment {
  return {
    invalidQueryReturnsNoRows: options.invalidQueryReturnsNoRows ?? false,
    caretEscape: options.caretEscape,
    now: options.now,
    fieldType(path) {
      const [head, ...rest] = path.split('.');
      if (rest.length === 0) return INCIDENT_FIELDS[head];
      if (REFERENCES[head] === undefined || rest.length !== 1) return undefined;
      return USER_FIELDS[rest[0]];
    },
    value(record, path) {
      const [head, ...rest] = path.split('.');
      if (rest.length === 0) return record[head] ?? '';
      const target = REFERENCES[head]?.[record[head] ?? ''];
      return target?.[rest[0]] ?? '';
    },
  };
}

const row = (values: Record<string, string>): RecordValues => values;

export const INCIDENTS: readonly RecordValues[] = [
  row({ number: 'INC001', short_description: 'Email server down', priority: '1', state: '1', reassignment_count: '0', cost: '10.5', active: 'true', opened_at: '2024-01-05 08:00:00', due_date: '2024-01-10', caller_id: 'u1', opened_by: 'u1', sys_id: 'a1', category: 'network', subcategory: 'network' }),
  row({ number: 'INC002', short_description: 'a<=b in formula', priority: '2', state: '2', reassignment_count: '12', cost: '2', active: 'true', opened_at: '2024-02-01 12:30:00', due_date: '2024-02-15', caller_id: 'u2', opened_by: 'u1', sys_id: 'a2', category: 'software', subcategory: 'email' }),
  row({ number: 'INC003', short_description: 'Disk 50% full', priority: '3', state: '6', reassignment_count: '3', cost: '', active: 'false', opened_at: '2024-03-10 23:59:59', due_date: '', caller_id: '', opened_by: 'u2', sys_id: 'a3', category: '', subcategory: '' }),
  row({ number: 'INC004', short_description: 'x^y caret', priority: '10', state: '7', reassignment_count: '', cost: '100', active: '', opened_at: '', due_date: '2024-03-01', caller_id: 'u1', opened_by: 'u2', sys_id: 'a4', category: 'Network', subcategory: 'wifi' }),
];

/** Numbers of the incidents matching `query`, in table order. */
export function numbersOf(matches: (r: RecordValues) => boolean): string[] {
  return INCIDENTS.filter(matches).map((r) => r.number);
}
