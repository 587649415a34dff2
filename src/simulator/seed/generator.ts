// Fills a table with N synthetic rows straight into its columns: 1,000,000 incidents take a few seconds.
import { DateTimeColumn, type Column } from '../store/columns.js';
import type { Database } from '../store/database.js';
import type { FieldDef } from '../store/schema.js';
import type { TableStore } from '../store/table-store.js';
import { INCIDENT_TEXTS } from './seed-data.js';

const CREATORS = ['admin', 'itil'];
const DESCRIPTIONS = INCIDENT_TEXTS.map(([, text]) => `${text}. Generated for load tests.`);

type FieldWriter = (slot: number, i: number) => void;

export function generateRows(db: Database, table: TableStore, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('generate: the row count must be a whole number >= 0');
  if (n === 0) return;
  const random = db.random;
  const firstNumber = db.reserveNumbers(table, n);
  const prefix = table.def.numberPrefix ?? '';
  // Rows one minute apart, the last one now, so ORDERBYsys_created_on is meaningful.
  const start = db.now() - n * 60;
  const writers: FieldWriter[] = [];
  const choiceCodes = new Map<string, string>();
  const row: { values: Record<string, string> } = { values: {} };

  // priority and active depend on other fields of the same row, so they are written last.
  const late = (fd: FieldDef): number => (fd.name === 'priority' || fd.name === 'active' ? 1 : 0);
  for (const fd of [...table.fields].sort((a, b) => late(a) - late(b))) {
    const column = table.column(fd.name)!;
    writers.push(writerFor(db, table, fd, column, { random, firstNumber, prefix, start, choiceCodes, row }));
  }
  table.bulkAppend(n, (slot, i) => {
    row.values = {};
    for (const w of writers) w(slot, i);
  });
}

interface WriterContext {
  random: Database['random'];
  firstNumber: number;
  prefix: string;
  start: number;
  choiceCodes: Map<string, string>;
  /** Values already written for the current row (to keep priority consistent with impact and urgency). */
  row: { values: Record<string, string> };
}

function writerFor(db: Database, table: TableStore, fd: FieldDef, column: Column, c: WriterContext): FieldWriter {
  const { random } = c;
  const remember = (name: string, value: string): string => (c.row.values[name] = value);
  switch (fd.name) {
    case 'sys_id':
      return (slot) => random.sysIdBytes(table.sysIds.bytes, slot * 16);
    case 'number':
      return (slot, i) => column.set(slot, c.prefix + String(c.firstNumber + i).padStart(7, '0'));
    case 'sys_created_on':
    case 'sys_updated_on':
    case 'opened_at':
      return (slot, i) => (column as DateTimeColumn).setSeconds(slot, c.start + i * 60);
    case 'sys_created_by':
    case 'sys_updated_by':
    case 'opened_by':
      if (fd.type !== 'reference') return (slot, i) => column.set(slot, CREATORS[i & 1]);
      break;
    case 'sys_mod_count':
      return (slot) => column.set(slot, '0');
    case 'sys_class_name':
      return (slot) => column.set(slot, table.name);
    case 'task_effective_number':
      return (slot, i) => column.set(slot, c.prefix + String(c.firstNumber + i).padStart(7, '0'));
    case 'incident_state':
      return (slot) => column.set(slot, c.row.values.state ?? '1');
    case 'short_description':
      return (slot, i) => column.set(slot, INCIDENT_TEXTS[i % INCIDENT_TEXTS.length][1]);
    case 'description':
      return (slot, i) => column.set(slot, DESCRIPTIONS[i % DESCRIPTIONS.length]);
    case 'priority':
      // ServiceNow derives priority from impact and urgency; impact and urgency come first in task's fields.
      if (table.hasField('impact') && table.hasField('urgency')) {
        return (slot) => column.set(slot, String(Number(c.row.values.impact || '3') + Number(c.row.values.urgency || '3') - 1));
      }
      break;
    case 'active':
      return (slot) => column.set(slot, c.row.values.state === '7' || c.row.values.state === '8' ? 'false' : 'true');
  }
  // Dictionary defaults (upon_reject, sys_domain, made_sla...) as a create would leave them; scripted ones are handled above.
  if (fd.default !== undefined && !fd.choices && !fd.default.startsWith('javascript:')) {
    const value = fd.default;
    return (slot) => column.set(slot, value);
  }
  if (fd.name === table.def.displayField && fd.type === 'string') return (slot, i) => column.set(slot, `${table.def.label} ${c.firstNumber + i}`);
  if (fd.choices && fd.choices.length > 0) {
    const values = fd.choices.map((ch) => ch.value);
    return (slot) => column.set(slot, remember(fd.name, values[random.int(values.length)]));
  }
  if (fd.type === 'reference' && fd.reference) {
    const target = db.table(fd.reference);
    const pool = target ? Array.from(target.liveSlots().subarray(0, 50), (s) => target.sysIdOf(s)) : [];
    if (pool.length === 0) return () => {};
    return (slot) => {
      const r = random.int(pool.length + Math.ceil(pool.length / 4));
      if (r < pool.length) column.set(slot, pool[r]);
    };
  }
  if (fd.type === 'integer') return (slot) => column.set(slot, String(random.int(4)));
  return () => {};
}
