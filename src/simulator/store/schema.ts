// Table definitions: the simulator's equivalent of sys_db_object + sys_dictionary + sys_choice.
// Child tables list only their own fields; `superClass` brings in the parent's (incident -> task).
import { choice, f, ref, type FieldDef, type TableDef } from './field-builders.js';
import { CMDB_CI, CMDB_CI_COMPUTER, CMDB_CI_HARDWARE, CMDB_CI_SERVER, CMDB_MODEL } from './tables/cmdb-tables.js';
import { IMP_COMPUTER, IMP_LOCATION, IMP_NOTIFICATION, IMP_USER, U_INCIDENT_IMPORT } from './tables/import-tables.js';
import { CMN_DEPARTMENT, CMN_LOCATION, CORE_COMPANY, SYS_USER, SYS_USER_GROUP } from './tables/people-tables.js';
import { CHANGE_REQUEST, CHANGE_TASK, INCIDENT, PROBLEM, TASK } from './tables/task-tables.js';
import { PRODUCT_TABLE_DEFS } from './product-tables.js';

export type { Choice, FieldDef, TableDef } from './field-builders.js';
export { IMPACT_URGENCY, PRIORITY, priorityFor } from './tables/task-tables.js';

/** Fields every table has. */
export const SYSTEM_FIELDS: readonly FieldDef[] = [
  f('sys_id', 'Sys ID', 'sys_id', { maxLength: 32 }),
  f('sys_created_on', 'Created', 'glide_date_time'),
  f('sys_created_by', 'Created by', 'string', { maxLength: 40 }),
  f('sys_updated_on', 'Updated', 'glide_date_time'),
  f('sys_updated_by', 'Updated by', 'string', { maxLength: 40 }),
  f('sys_mod_count', 'Updates', 'integer'),
  f('sys_class_name', 'Class', 'string', { maxLength: 80 }),
];

const SYS_IMPORT_SET: TableDef = {
  name: 'sys_import_set',
  label: 'Import Set',
  displayField: 'number',
  numberPrefix: 'ISET',
  fields: [
    f('number', 'Set', 'string', { maxLength: 40 }),
    f('table_name', 'Import set table', 'string', { maxLength: 80 }),
    choice('state', 'State', [
      ['loading', 'Loading'],
      ['loaded', 'Loaded'],
      ['processed', 'Processed'],
    ]),
    choice('mode', 'Mode', [
      ['synchronous', 'Synchronous'],
      ['asynchronous', 'Asynchronous'],
    ]),
    f('multi_import_set_id', 'Multi import set', 'string', { maxLength: 32 }),
  ],
};

const SYS_TRANSFORM_MAP: TableDef = {
  name: 'sys_transform_map',
  label: 'Table Transform Map',
  displayField: 'name',
  adminOnly: true,
  fields: [
    f('name', 'Name', 'string', { maxLength: 80 }),
    f('source_table', 'Source table', 'string', { maxLength: 80 }),
    f('target_table', 'Target table', 'string', { maxLength: 80 }),
    f('active', 'Active', 'boolean'),
    f('order', 'Order', 'integer'),
  ],
};

const SYS_TRANSFORM_ENTRY: TableDef = {
  name: 'sys_transform_entry',
  label: 'Field Map',
  displayField: 'target_field',
  adminOnly: true,
  fields: [
    ref('map', 'Map', 'sys_transform_map'),
    f('source_field', 'Source field', 'string', { maxLength: 80 }),
    f('target_field', 'Target field', 'string', { maxLength: 80 }),
    f('coalesce', 'Coalesce', 'boolean'),
    f('choice_action', 'Choice action', 'string', { maxLength: 40 }),
  ],
};

const SYS_DB_OBJECT: TableDef = {
  name: 'sys_db_object',
  label: 'Table',
  displayField: 'label',
  adminOnly: true,
  fields: [
    f('name', 'Name', 'string', { maxLength: 80 }),
    f('label', 'Label', 'string', { maxLength: 80 }),
    ref('super_class', 'Extends table', 'sys_db_object'),
    f('number_ref', 'Auto number prefix', 'string', { maxLength: 40 }),
    f('is_extendable', 'Extensible', 'boolean'),
  ],
};

const SYS_DICTIONARY: TableDef = {
  name: 'sys_dictionary',
  label: 'Dictionary Entry',
  displayField: 'column_label',
  adminOnly: true,
  fields: [
    f('name', 'Table', 'string', { maxLength: 80 }),
    f('element', 'Column name', 'string', { maxLength: 80 }),
    f('column_label', 'Column label', 'string', { maxLength: 80 }),
    f('internal_type', 'Type', 'string', { maxLength: 40 }),
    f('reference', 'Reference', 'string', { maxLength: 80 }),
    f('max_length', 'Max length', 'integer'),
    f('mandatory', 'Mandatory', 'boolean'),
    f('default_value', 'Default value', 'string', { maxLength: 512 }),
    f('active', 'Active', 'boolean'),
  ],
};

const SYS_CHOICE: TableDef = {
  name: 'sys_choice',
  label: 'Choice',
  displayField: 'label',
  adminOnly: true,
  fields: [
    f('name', 'Table', 'string', { maxLength: 80 }),
    f('element', 'Element', 'string', { maxLength: 80 }),
    f('value', 'Value', 'string', { maxLength: 40 }),
    f('label', 'Label', 'string', { maxLength: 100 }),
    f('sequence', 'Sequence', 'integer'),
    f('language', 'Language', 'string', { maxLength: 40 }),
    f('inactive', 'Inactive', 'boolean'),
  ],
};

export const TABLE_DEFS: readonly TableDef[] = [
  TASK,
  INCIDENT,
  PROBLEM,
  CHANGE_REQUEST,
  CHANGE_TASK,
  SYS_USER,
  SYS_USER_GROUP,
  CMN_DEPARTMENT,
  CORE_COMPANY,
  CMN_LOCATION,
  CMDB_CI,
  CMDB_CI_HARDWARE,
  CMDB_CI_COMPUTER,
  CMDB_CI_SERVER,
  CMDB_MODEL,
  U_INCIDENT_IMPORT,
  IMP_NOTIFICATION,
  IMP_COMPUTER,
  IMP_USER,
  IMP_LOCATION,
  SYS_IMPORT_SET,
  SYS_TRANSFORM_MAP,
  SYS_TRANSFORM_ENTRY,
  SYS_DB_OBJECT,
  SYS_DICTIONARY,
  SYS_CHOICE,
  // CMDB Instance, Service Catalog and Change Management tables (product-tables.ts).
  ...PRODUCT_TABLE_DEFS,
];

/**
 * A table's full field list: system fields, then each ancestor's fields from the root down, then its own. A child
 * field with an ancestor's name is a dictionary override (incident.state has its own choices and default): it
 * replaces the inherited definition in place.
 */
export function resolveFields(def: TableDef, byName: ReadonlyMap<string, TableDef>): FieldDef[] {
  const chain: TableDef[] = [];
  for (let t: TableDef | undefined = def; t; t = t.superClass ? byName.get(t.superClass) : undefined) chain.unshift(t);
  const out: FieldDef[] = [...SYSTEM_FIELDS];
  const at = new Map(out.map((fd, i) => [fd.name, i]));
  for (const t of chain) {
    for (const fd of t.fields) {
      const i = at.get(fd.name);
      if (i === undefined) {
        at.set(fd.name, out.length);
        out.push(fd);
      } else out[i] = fd;
    }
  }
  return out;
}

/** Whether a field of `def` is an override of an ancestor's field (sys_dictionary_override, not a new column). */
export function isOverride(def: TableDef, field: string, byName: ReadonlyMap<string, TableDef>): boolean {
  for (let t = def.superClass ? byName.get(def.superClass) : undefined; t; t = t.superClass ? byName.get(t.superClass) : undefined) {
    if (t.fields.some((fd) => fd.name === field)) return true;
  }
  return false;
}
