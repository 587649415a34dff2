// The simulator's records: tables, system fields, numbering, value normalisation, dot-walking and display values.
import type { FieldType, QueryEnvironment, RecordValues } from '../query/types.js';
import { SeededRandom } from '../rng.js';
import { formatGlideDateTime } from '../time.js';
import { SYS_ID_PATTERN } from './columns.js';
import { CURRENT_USER, NOW } from './field-builders.js';
import { SYSTEM_FIELDS, TABLE_DEFS, priorityFor, resolveFields, type FieldDef, type TableDef } from './schema.js';
import { TableStore } from './table-store.js';

const SYSTEM_FIELD_NAMES = new Set(SYSTEM_FIELDS.map((fd) => fd.name));

/** First number handed out per prefix, as on a fresh ServiceNow instance (INC0010001). */
const FIRST_NUMBER = 10001;

export class Database {
  readonly random: SeededRandom;
  private readonly tables = new Map<string, TableStore>();
  private readonly defs = new Map<string, TableDef>();
  private readonly counters = new Map<string, number>();
  /** Clock in epoch seconds; replaceable so seed data gets stable dates. */
  now: () => number = () => Math.floor(Date.now() / 1000);

  constructor(seed: number, defs: readonly TableDef[] = TABLE_DEFS) {
    this.random = new SeededRandom(seed);
    for (const def of defs) this.defs.set(def.name, def);
    for (const def of defs) this.tables.set(def.name, new TableStore(def, resolveFields(def, this.defs)));
  }

  table(name: string): TableStore | undefined {
    return this.tables.get(name);
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  tableDefs(): TableDef[] {
    return [...this.defs.values()];
  }

  /** Next auto number of a table (INC0010001, ...), or '' when the table is not numbered. */
  nextNumber(table: TableStore): string {
    const prefix = table.def.numberPrefix;
    if (!prefix) return '';
    const n = this.counters.get(prefix) ?? FIRST_NUMBER;
    this.counters.set(prefix, n + 1);
    return prefix + String(n).padStart(7, '0');
  }

  /** Reserves `count` numbers at once (for the generator); returns the first. */
  reserveNumbers(table: TableStore, count: number): number {
    const prefix = table.def.numberPrefix ?? '';
    const n = this.counters.get(prefix) ?? FIRST_NUMBER;
    this.counters.set(prefix, n + count);
    return n;
  }

  newSysId(): string {
    return this.random.sysId();
  }

  /**
   * Creates a record: unknown fields are dropped (as ServiceNow does), values become strings,
   * system fields and the number are filled in. A valid 32-hex sys_id in the input is kept.
   */
  insert(tableName: string, input: Readonly<Record<string, string>>, user = 'admin'): { slot: number; record: Record<string, string> } {
    const table = this.require(tableName);
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(input)) if (table.hasField(k)) values[k] = normaliseValue(table.fieldByName.get(k)!, v);
    const wanted = values.sys_id?.toLowerCase();
    values.sys_id = wanted && SYS_ID_PATTERN.test(wanted) && table.find(wanted) < 0 ? wanted : this.uniqueSysId(table);
    const now = formatGlideDateTime(this.now());
    values.sys_created_on ||= now;
    values.sys_updated_on ||= now;
    values.sys_created_by ||= user;
    values.sys_updated_by ||= user;
    values.sys_mod_count = '0';
    values.sys_class_name = tableName;
    if (table.hasField('number') && !values.number) values.number = this.nextNumber(table);
    if (table.hasField('task_effective_number') && !values.task_effective_number) values.task_effective_number = values.number;
    this.derive(table, values, values);
    // Dictionary defaults for the fields the caller left out (a field sent empty stays empty, as on an instance).
    for (const fd of table.fields) {
      if (fd.default === undefined || Object.hasOwn(values, fd.name)) continue;
      values[fd.name] = fd.default === CURRENT_USER ? this.userSysId(user) : fd.default === NOW ? values.sys_created_on : fd.default;
    }
    // The priority lookup runs on every insert, defaults included: a priority sent without impact and urgency
    // becomes 5 - Planning on an instance too (set impact and urgency instead).
    if (table.def.priorityLookup) values.priority = priorityFor(values.impact ?? '', values.urgency ?? '') ?? values.priority;
    const slot = table.insert(values);
    // The whole record is built only when a caller reads it (seeding inserts a thousand rows and reads only sys_id).
    return {
      slot,
      get record() {
        return table.record(slot);
      },
    };
  }

  /** Updates the given fields of a record (PUT and PATCH behave alike in the Table API). */
  update(tableName: string, sysId: string, input: Readonly<Record<string, string>>, user = 'admin'): Record<string, string> | undefined {
    const table = this.require(tableName);
    const slot = SYS_ID_PATTERN.test(sysId) ? table.find(sysId) : -1;
    if (slot < 0) return undefined;
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(input)) {
      if (!table.hasField(k) || SYSTEM_FIELD_NAMES.has(k)) continue;
      values[k] = normaliseValue(table.fieldByName.get(k)!, v);
    }
    values.sys_updated_on = formatGlideDateTime(this.now());
    values.sys_updated_by = user;
    values.sys_mod_count = String(Number(table.value(slot, 'sys_mod_count') || '0') + 1);
    this.derive(table, values, { ...table.partialRecord(slot, ['impact', 'urgency', 'first_name', 'last_name']), ...values });
    table.update(slot, values);
    return table.record(slot);
  }

  /**
   * Fields an instance computes from others, written into `values`: priority from impact x urgency (the Priority
   * Lookup Rules of incident and problem, run when either is set) and incident_state following state.
   */
  private derive(table: TableStore, values: Record<string, string>, merged: Readonly<Record<string, string>>): void {
    if (table.def.priorityLookup && (values.impact !== undefined || values.urgency !== undefined)) {
      const priority = priorityFor(merged.impact ?? '', merged.urgency ?? '');
      if (priority) values.priority = priority;
    }
    if (table.hasField('incident_state')) {
      if (values.state !== undefined) values.incident_state = values.state;
      else if (values.incident_state !== undefined && table.fieldByName.get('state')?.choices?.some((c) => c.value === values.incident_state)) values.state = values.incident_state;
    }
    // sys_user.name is calculated from the first and last names.
    if (table.name === 'sys_user' && values.name === undefined && (values.first_name !== undefined || values.last_name !== undefined)) {
      values.name = [merged.first_name, merged.last_name].filter(Boolean).join(' ');
    }
  }

  /** sys_id of the sys_user with this user_name ('' when there is none), for `javascript:gs.getUserID()` defaults. */
  private userSysId(userName: string): string {
    const users = this.tables.get('sys_user');
    if (!users) return '';
    if (this.userIds?.version !== users.version) this.userIds = { version: users.version, byName: new Map() };
    let id = this.userIds.byName.get(userName);
    if (id === undefined) {
      id = '';
      const column = users.column('user_name');
      if (column) for (const slot of users.liveSlots()) if (column.get(slot) === userName) id = users.sysIdOf(slot);
      this.userIds.byName.set(userName, id);
    }
    return id;
  }

  private userIds: { version: number; byName: Map<string, string> } | undefined;

  delete(tableName: string, sysId: string): boolean {
    const table = this.require(tableName);
    const slot = SYS_ID_PATTERN.test(sysId) ? table.find(sysId) : -1;
    if (slot < 0) return false;
    table.delete(slot);
    return true;
  }

  get(tableName: string, sysId: string): Record<string, string> | undefined {
    const table = this.tables.get(tableName);
    if (!table || !SYS_ID_PATTERN.test(sysId)) return undefined;
    const slot = table.find(sysId);
    return slot < 0 ? undefined : table.record(slot);
  }

  /** Definition of a field or dot-walked path (`caller_id.department.name`), or undefined. */
  fieldDef(table: TableStore, path: string): { field: FieldDef; table: TableStore } | undefined {
    let current: TableStore | undefined = table;
    const parts = path.split('.');
    for (let i = 0; i < parts.length; i++) {
      const fd: FieldDef | undefined = current?.fieldByName.get(parts[i]);
      if (!fd || !current) return undefined;
      if (i === parts.length - 1) return { field: fd, table: current };
      if (fd.type !== 'reference' || !fd.reference) return undefined;
      current = this.tables.get(fd.reference);
    }
    return undefined;
  }

  fieldType(table: TableStore, path: string): FieldType | undefined {
    return this.fieldDef(table, path)?.field.type;
  }

  /** Value of a field or dot-walked path; '' when empty or unreachable. */
  value(table: TableStore, record: RecordValues, path: string): string {
    const dot = path.indexOf('.');
    if (dot < 0) return record[path] ?? '';
    const head = path.slice(0, dot);
    const fd = table.fieldByName.get(head);
    const target = fd?.reference ? this.tables.get(fd.reference) : undefined;
    const sysId = record[head] ?? '';
    if (!target || !SYS_ID_PATTERN.test(sysId)) return '';
    const slot = target.find(sysId);
    if (slot < 0) return '';
    const rest = path.slice(dot + 1);
    const restDot = rest.indexOf('.');
    if (restDot < 0) return target.value(slot, rest);
    return this.value(target, target.partialRecord(slot, [rest.slice(0, restDot)]), rest);
  }

  /** Display value: a choice's label, a referenced record's display field, otherwise the value itself. */
  displayValue(table: TableStore, record: RecordValues, path: string): string {
    const raw = this.value(table, record, path);
    if (raw === '') return '';
    const found = this.fieldDef(table, path);
    if (!found) return raw;
    return this.displayOf(found.field, raw);
  }

  /** Display text of a stored value of a field. */
  displayOf(field: FieldDef, raw: string): string {
    if (raw === '') return '';
    if (field.choices) return field.choices.find((c) => c.value === raw)?.label ?? raw;
    if (field.type === 'reference' && field.reference) {
      const target = this.tables.get(field.reference);
      // A reference that holds a name rather than a sys_id (sys_domain 'global') shows that name, as recorded instances do.
      if (!SYS_ID_PATTERN.test(raw)) return raw;
      if (!target) return '';
      const slot = target.find(raw);
      return slot < 0 ? '' : target.value(slot, target.def.displayField);
    }
    return raw;
  }

  /** Stored value for a display value given as input (sysparm_input_display_value=true). */
  valueFromDisplay(field: FieldDef, display: string): string {
    if (display === '') return '';
    if (field.choices) return field.choices.find((c) => c.label === display)?.value ?? display;
    if (field.type === 'reference' && field.reference) {
      const target = this.tables.get(field.reference);
      if (!target) return display;
      if (SYS_ID_PATTERN.test(display) && target.find(display) >= 0) return display;
      const column = target.column(target.def.displayField);
      if (column) for (const slot of target.liveSlots()) if (column.get(slot) === display) return target.sysIdOf(slot);
    }
    return display;
  }

  queryEnvironment(table: TableStore, options: { invalidQueryReturnsNoRows: boolean; caretEscape: boolean }): QueryEnvironment {
    return {
      fieldType: (path) => this.fieldType(table, path),
      value: (record, path) => this.value(table, record, path),
      invalidQueryReturnsNoRows: options.invalidQueryReturnsNoRows,
      caretEscape: options.caretEscape,
    };
  }

  private uniqueSysId(table: TableStore): string {
    for (;;) {
      const id = this.random.sysId();
      if (table.find(id) < 0) return id;
    }
  }

  private require(name: string): TableStore {
    const table = this.tables.get(name);
    if (!table) throw new Error(`Invalid table ${name}`);
    return table;
  }
}

/** ServiceNow stores booleans as 'true'/'false' and every other value as text. */
export function normaliseValue(field: FieldDef, value: string): string {
  if (field.type === 'boolean' && value !== '') {
    const v = value.toLowerCase();
    return v === 'true' || v === '1' || v === 'yes' ? 'true' : 'false';
  }
  return value;
}

/** Turns a JSON input value into the text ServiceNow would store. */
export function jsonToText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.value === 'string') return o.value;
    if (typeof o.sys_id === 'string') return o.sys_id;
  }
  return JSON.stringify(value);
}
