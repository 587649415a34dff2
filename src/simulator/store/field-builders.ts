// The shape of the simulator's dictionary (sys_db_object + sys_dictionary + sys_choice) and small builders for it.
import type { FieldType } from '../query/types.js';

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  /** How values compare and are stored (the query engine's types). */
  readonly type: FieldType;
  /** ServiceNow's internal type when it is more specific than `type` (glide_list, glide_duration, email...): sys_dictionary shows it. */
  readonly internalType?: string;
  /** Target table of a reference field. */
  readonly reference?: string;
  readonly choices?: readonly Choice[];
  readonly mandatory?: boolean;
  readonly maxLength?: number;
  /**
   * Dictionary default, applied when a create leaves the field out. Two scripted defaults are understood, as written
   * in a real dictionary: `javascript:gs.getUserID()` (the caller's sys_user) and `javascript:gs.nowDateTime()`.
   */
  readonly default?: string;
}

export interface TableDef {
  readonly name: string;
  readonly label: string;
  readonly superClass?: string;
  /** Field whose value is the record's display value (what a reference to it shows). */
  readonly displayField: string;
  /** Prefix of auto-numbered records (INC, PRB, CHG...). */
  readonly numberPrefix?: string;
  readonly fields: readonly FieldDef[];
  /** Rows of this table may be hidden from restricted users by the ACL behaviour. */
  readonly rowAcl?: boolean;
  /** Restricted users may not read this table at all (403). */
  readonly adminOnly?: boolean;
  /** Priority follows impact x urgency (the "Priority Lookup Rules" data lookup of incident and problem). */
  readonly priorityLookup?: boolean;
}

export const CURRENT_USER = 'javascript:gs.getUserID()';
export const NOW = 'javascript:gs.nowDateTime()';

export const f = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, label, type, ...extra });
/** A string column (max length 40 unless given). */
export const str = (name: string, label: string, maxLength = 40, extra: Partial<FieldDef> = {}): FieldDef => f(name, label, 'string', { maxLength, ...extra });
export const ref = (name: string, label: string, table: string, extra: Partial<FieldDef> = {}): FieldDef => f(name, label, 'reference', { reference: table, ...extra });
export const bool = (name: string, label: string, byDefault?: boolean): FieldDef => f(name, label, 'boolean', byDefault === undefined ? {} : { default: String(byDefault) });
export const int = (name: string, label: string, byDefault?: number): FieldDef => f(name, label, 'integer', byDefault === undefined ? {} : { default: String(byDefault) });
export const date = (name: string, label: string, extra: Partial<FieldDef> = {}): FieldDef => f(name, label, 'glide_date_time', extra);
export const journal = (name: string, label: string): FieldDef => f(name, label, 'journal', { maxLength: 4000 });
/** A list of references stored as comma-separated sys_ids (watch_list, group_list...). */
export const list = (name: string, label: string, table: string): FieldDef => f(name, label, 'string', { internalType: 'glide_list', maxLength: 4000, reference: table });
export const duration = (name: string, label: string): FieldDef => f(name, label, 'string', { internalType: 'glide_duration' });
export const choice = (name: string, label: string, choices: readonly (readonly [string, string])[], extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, label, 'choice', { choices: choices.map(([value, l]) => ({ value, label: l })), ...extra });
