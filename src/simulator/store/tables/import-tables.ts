// Import Set staging tables: the seeded u_incident_import, and the standard ones every instance has (ServiceNow docs,
// "Standard import set tables": imp_notification, imp_computer, imp_user, imp_location; all columns Character (40)
// unless noted). Their transform maps live in ../../seed/transform-maps.ts.
import { choice, f, ref, str, type FieldDef, type TableDef } from '../field-builders.js';

/** The columns every staging table inherits from sys_import_set_row. */
const IMPORT_SET_ROW: readonly FieldDef[] = [
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
  str('sys_import_state_comment', 'Comment', 4000),
  str('sys_row_error', 'Row error', 4000),
  str('sys_target_table', 'Target table', 80),
  str('sys_target_sys_id', 'Target record', 32),
  ref('sys_transform_map', 'Transform map', 'sys_transform_map'),
];

function staging(name: string, label: string, displayField: string, columns: readonly (string | readonly [string, number])[]): TableDef {
  const fields = columns.map((c) => (typeof c === 'string' ? str(c, titleOf(c), 40) : str(c[0], titleOf(c[0]), c[1])));
  return { name, label, displayField, fields: [...fields, ...IMPORT_SET_ROW] };
}

function titleOf(column: string): string {
  const words = column.replace(/^u_/, '').split('_');
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}

export const U_INCIDENT_IMPORT = staging('u_incident_import', 'Incident Import', 'u_correlation_id', [
  ['u_correlation_id', 100],
  ['u_short_description', 160],
  ['u_description', 4000],
  'u_impact',
  'u_urgency',
  'u_priority',
  'u_category',
  'u_state',
  'u_caller',
]);

export const IMP_NOTIFICATION = staging('imp_notification', 'Notification', 'uuid', [
  'uuid',
  'corrective_message',
  'duration',
  'expires_on',
  ['message', 80],
  ['comments', 4000],
  'category',
  'assignment_group',
  'severity',
  'state',
  'source',
  'timestamp',
  'type',
]);

export const IMP_COMPUTER = staging('imp_computer', 'Computer', 'name', ['serial_number', 'cpu_count', 'cpu_speed', 'cpu_type', 'disk_space', 'manufacturer', 'model_id', 'name', 'operating_system', 'ram']);

export const IMP_USER = staging('imp_user', 'User', 'email', ['email', 'department', 'first_name', 'last_name', 'location', 'phone', 'user_id']);

export const IMP_LOCATION = staging('imp_location', 'Location', 'name', ['name', 'street', 'city', 'state', 'zip', 'country']);
