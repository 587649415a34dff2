// Table definitions: the simulator's equivalent of sys_db_object + sys_dictionary + sys_choice.
// Child tables list only their own fields; `superClass` brings in the parent's (incident -> task).
import type { FieldType } from '../query/types.js';

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  /** Target table of a reference field. */
  readonly reference?: string;
  readonly choices?: readonly Choice[];
  readonly mandatory?: boolean;
  readonly maxLength?: number;
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
}

const f = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, label, type, ...extra });
const ref = (name: string, label: string, table: string): FieldDef => f(name, label, 'reference', { reference: table });
const choice = (name: string, label: string, choices: readonly (readonly [string, string])[]): FieldDef =>
  f(name, label, 'choice', { choices: choices.map(([value, l]) => ({ value, label: l })) });

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

export const IMPACT_URGENCY: readonly (readonly [string, string])[] = [
  ['1', '1 - High'],
  ['2', '2 - Medium'],
  ['3', '3 - Low'],
];

export const PRIORITY: readonly (readonly [string, string])[] = [
  ['1', '1 - Critical'],
  ['2', '2 - High'],
  ['3', '3 - Moderate'],
  ['4', '4 - Low'],
  ['5', '5 - Planning'],
];

const TASK: TableDef = {
  name: 'task',
  label: 'Task',
  displayField: 'number',
  numberPrefix: 'TASK',
  rowAcl: true,
  fields: [
    f('number', 'Number', 'string', { maxLength: 40 }),
    f('short_description', 'Short description', 'string', { maxLength: 160 }),
    f('description', 'Description', 'string', { maxLength: 4000 }),
    f('active', 'Active', 'boolean'),
    choice('priority', 'Priority', PRIORITY),
    choice('impact', 'Impact', IMPACT_URGENCY),
    choice('urgency', 'Urgency', IMPACT_URGENCY),
    ref('assignment_group', 'Assignment group', 'sys_user_group'),
    ref('assigned_to', 'Assigned to', 'sys_user'),
    ref('cmdb_ci', 'Configuration item', 'cmdb_ci'),
    ref('opened_by', 'Opened by', 'sys_user'),
    f('opened_at', 'Opened', 'glide_date_time'),
    f('closed_at', 'Closed', 'glide_date_time'),
    choice('approval', 'Approval', [
      ['not requested', 'Not Yet Requested'],
      ['requested', 'Requested'],
      ['approved', 'Approved'],
      ['rejected', 'Rejected'],
    ]),
    choice('contact_type', 'Contact type', [
      ['email', 'Email'],
      ['phone', 'Phone'],
      ['self-service', 'Self-service'],
      ['walk-in', 'Walk-in'],
    ]),
    f('correlation_id', 'Correlation ID', 'string', { maxLength: 100 }),
    f('work_notes', 'Work notes', 'journal'),
    f('comments', 'Additional comments', 'journal'),
    f('due_date', 'Due date', 'glide_date_time'),
    f('reassignment_count', 'Reassignment count', 'integer'),
  ],
};

const INCIDENT: TableDef = {
  name: 'incident',
  label: 'Incident',
  superClass: 'task',
  displayField: 'number',
  numberPrefix: 'INC',
  rowAcl: true,
  fields: [
    choice('state', 'State', [
      ['1', 'New'],
      ['2', 'In Progress'],
      ['3', 'On Hold'],
      ['6', 'Resolved'],
      ['7', 'Closed'],
      ['8', 'Canceled'],
    ]),
    choice('category', 'Category', [
      ['inquiry', 'Inquiry / Help'],
      ['software', 'Software'],
      ['hardware', 'Hardware'],
      ['network', 'Network'],
      ['database', 'Database'],
    ]),
    f('subcategory', 'Subcategory', 'string', { maxLength: 40 }),
    ref('caller_id', 'Caller', 'sys_user'),
    ref('problem_id', 'Problem', 'problem'),
    f('resolved_at', 'Resolved', 'glide_date_time'),
    f('close_code', 'Resolution code', 'string', { maxLength: 40 }),
    f('close_notes', 'Resolution notes', 'string', { maxLength: 4000 }),
    f('severity', 'Severity', 'integer'),
  ],
};

const PROBLEM: TableDef = {
  name: 'problem',
  label: 'Problem',
  superClass: 'task',
  displayField: 'number',
  numberPrefix: 'PRB',
  rowAcl: true,
  fields: [
    choice('problem_state', 'Problem state', [
      ['101', 'New'],
      ['102', 'Assess'],
      ['103', 'Root Cause Analysis'],
      ['104', 'Fix in Progress'],
      ['106', 'Resolved'],
      ['107', 'Closed'],
    ]),
    f('known_error', 'Known error', 'boolean'),
    f('cause_notes', 'Cause notes', 'string', { maxLength: 4000 }),
  ],
};

const CHANGE_REQUEST: TableDef = {
  name: 'change_request',
  label: 'Change Request',
  superClass: 'task',
  displayField: 'number',
  numberPrefix: 'CHG',
  rowAcl: true,
  fields: [
    choice('type', 'Type', [
      ['normal', 'Normal'],
      ['standard', 'Standard'],
      ['emergency', 'Emergency'],
    ]),
    choice('risk', 'Risk', [
      ['2', 'High'],
      ['3', 'Moderate'],
      ['4', 'Low'],
    ]),
    f('start_date', 'Planned start date', 'glide_date_time'),
    f('end_date', 'Planned end date', 'glide_date_time'),
  ],
};

const SYS_USER: TableDef = {
  name: 'sys_user',
  label: 'User',
  displayField: 'name',
  fields: [
    f('user_name', 'User ID', 'string', { maxLength: 40 }),
    f('first_name', 'First name', 'string', { maxLength: 50 }),
    f('last_name', 'Last name', 'string', { maxLength: 50 }),
    f('name', 'Name', 'string', { maxLength: 151 }),
    f('email', 'Email', 'string', { maxLength: 100 }),
    f('title', 'Title', 'string', { maxLength: 60 }),
    f('active', 'Active', 'boolean'),
    f('locked_out', 'Locked out', 'boolean'),
    ref('department', 'Department', 'cmn_department'),
  ],
};

const SYS_USER_GROUP: TableDef = {
  name: 'sys_user_group',
  label: 'Group',
  displayField: 'name',
  fields: [
    f('name', 'Name', 'string', { maxLength: 80 }),
    f('description', 'Description', 'string', { maxLength: 1000 }),
    f('email', 'Group email', 'string', { maxLength: 100 }),
    ref('manager', 'Manager', 'sys_user'),
    f('active', 'Active', 'boolean'),
  ],
};

const CMN_DEPARTMENT: TableDef = {
  name: 'cmn_department',
  label: 'Department',
  displayField: 'name',
  fields: [f('name', 'Name', 'string', { maxLength: 100 }), f('id', 'ID', 'string', { maxLength: 40 })],
};

const CMDB_CI: TableDef = {
  name: 'cmdb_ci',
  label: 'Configuration Item',
  displayField: 'name',
  fields: [
    f('name', 'Name', 'string', { maxLength: 255 }),
    f('serial_number', 'Serial number', 'string', { maxLength: 255 }),
    f('ip_address', 'IP Address', 'string', { maxLength: 255 }),
    choice('operational_status', 'Operational status', [
      ['1', 'Operational'],
      ['2', 'Non-Operational'],
      ['3', 'Repair in Progress'],
      ['6', 'Retired'],
    ]),
    ref('assigned_to', 'Assigned to', 'sys_user'),
    ref('support_group', 'Support group', 'sys_user_group'),
    f('install_status', 'Status', 'integer'),
  ],
};

/** The Import Set staging table; its transform map lives in ../seed/transform-maps.ts. */
const U_INCIDENT_IMPORT: TableDef = {
  name: 'u_incident_import',
  label: 'Incident Import',
  displayField: 'u_correlation_id',
  fields: [
    f('u_correlation_id', 'Correlation ID', 'string', { maxLength: 100 }),
    f('u_short_description', 'Short description', 'string', { maxLength: 160 }),
    f('u_description', 'Description', 'string', { maxLength: 4000 }),
    f('u_impact', 'Impact', 'string', { maxLength: 40 }),
    f('u_urgency', 'Urgency', 'string', { maxLength: 40 }),
    f('u_priority', 'Priority', 'string', { maxLength: 40 }),
    f('u_category', 'Category', 'string', { maxLength: 40 }),
    f('u_state', 'State', 'string', { maxLength: 40 }),
    f('u_caller', 'Caller user name', 'string', { maxLength: 40 }),
    ref('sys_import_set', 'Set', 'sys_import_set'),
    f('sys_import_row', 'Row', 'integer'),
    choice('sys_import_state', 'Import state', [
      ['pending', 'Pending'],
      ['inserted', 'Inserted'],
      ['updated', 'Updated'],
      ['ignored', 'Ignored'],
      ['skipped', 'Skipped'],
      ['error', 'Error'],
    ]),
    f('sys_import_state_comment', 'Comment', 'string', { maxLength: 4000 }),
    f('sys_row_error', 'Row error', 'string', { maxLength: 4000 }),
    f('sys_target_table', 'Target table', 'string', { maxLength: 80 }),
    f('sys_target_sys_id', 'Target record', 'string', { maxLength: 32 }),
    ref('sys_transform_map', 'Transform map', 'sys_transform_map'),
  ],
};

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
  SYS_USER,
  SYS_USER_GROUP,
  CMN_DEPARTMENT,
  CMDB_CI,
  U_INCIDENT_IMPORT,
  SYS_IMPORT_SET,
  SYS_TRANSFORM_MAP,
  SYS_TRANSFORM_ENTRY,
  SYS_DB_OBJECT,
  SYS_DICTIONARY,
  SYS_CHOICE,
];

/** A table's full field list: system fields, then each ancestor's fields from the root down, then its own. */
export function resolveFields(def: TableDef, byName: ReadonlyMap<string, TableDef>): FieldDef[] {
  const chain: TableDef[] = [];
  for (let t: TableDef | undefined = def; t; t = t.superClass ? byName.get(t.superClass) : undefined) chain.unshift(t);
  const out: FieldDef[] = [...SYSTEM_FIELDS];
  for (const t of chain) out.push(...t.fields);
  return out;
}
