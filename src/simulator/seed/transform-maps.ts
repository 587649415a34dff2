// Transform maps of the seeded Import Set staging tables (ServiceNow keeps them in sys_transform_map/_entry;
// the seed writes them there too so they can be read through the Table API).

export interface FieldMap {
  readonly source: string;
  readonly target: string;
  /** The target record with the same value in this field is updated instead of inserting a new one. */
  readonly coalesce?: boolean;
  /**
   * Source holds a display value to resolve: a choice label, a user_name, or a referenced record's display value.
   * With `createMissing` an unknown reference gets a new record (the field map's "choice action: create").
   */
  readonly resolve?: 'choice' | 'user_name' | 'reference';
  readonly createMissing?: boolean;
}

export interface TransformMap {
  readonly name: string;
  readonly sourceTable: string;
  readonly targetTable: string;
  readonly fieldMaps: readonly FieldMap[];
  /** Target fields that must be set when a row inserts a record; a row without them ends in `error`. */
  readonly mandatoryOnInsert: readonly string[];
  /** The map's transform script: more target values computed from the staging row (run after the field maps). */
  readonly script?: (source: Readonly<Record<string, string>>, target: Record<string, string>) => void;
}

export const TRANSFORM_MAPS: readonly TransformMap[] = [
  {
    name: 'Incident import',
    sourceTable: 'u_incident_import',
    targetTable: 'incident',
    fieldMaps: [
      { source: 'u_correlation_id', target: 'correlation_id', coalesce: true },
      { source: 'u_short_description', target: 'short_description' },
      { source: 'u_description', target: 'description' },
      { source: 'u_impact', target: 'impact', resolve: 'choice' },
      { source: 'u_urgency', target: 'urgency', resolve: 'choice' },
      { source: 'u_priority', target: 'priority', resolve: 'choice' },
      { source: 'u_category', target: 'category', resolve: 'choice' },
      { source: 'u_state', target: 'state', resolve: 'choice' },
      { source: 'u_caller', target: 'caller_id', resolve: 'user_name' },
    ],
    mandatoryOnInsert: ['short_description'],
  },
  // The standard import set tables' default maps (ServiceNow docs, "Standard import set tables").
  {
    name: 'Notification',
    sourceTable: 'imp_notification',
    targetTable: 'incident',
    fieldMaps: [
      { source: 'uuid', target: 'correlation_id', coalesce: true },
      { source: 'message', target: 'short_description' },
      { source: 'comments', target: 'comments' },
      { source: 'category', target: 'category', resolve: 'choice' },
      { source: 'assignment_group', target: 'assignment_group', resolve: 'reference', createMissing: true },
      { source: 'severity', target: 'severity', resolve: 'choice' },
      { source: 'state', target: 'incident_state', resolve: 'choice' },
      { source: 'source', target: 'cmdb_ci', resolve: 'reference' },
    ],
    mandatoryOnInsert: [],
  },
  {
    name: 'Computer',
    sourceTable: 'imp_computer',
    targetTable: 'cmdb_ci_computer',
    fieldMaps: [
      { source: 'serial_number', target: 'serial_number', coalesce: true },
      { source: 'name', target: 'name' },
      { source: 'cpu_count', target: 'cpu_count' },
      { source: 'cpu_speed', target: 'cpu_speed' },
      { source: 'cpu_type', target: 'cpu_type' },
      { source: 'disk_space', target: 'disk_space' },
      { source: 'manufacturer', target: 'manufacturer', resolve: 'reference', createMissing: true },
      { source: 'model_id', target: 'model_id', resolve: 'reference', createMissing: true },
      { source: 'operating_system', target: 'os' },
      { source: 'ram', target: 'ram' },
    ],
    mandatoryOnInsert: [],
  },
  {
    name: 'User',
    sourceTable: 'imp_user',
    targetTable: 'sys_user',
    fieldMaps: [
      { source: 'email', target: 'email', coalesce: true },
      { source: 'first_name', target: 'first_name' },
      { source: 'last_name', target: 'last_name' },
      { source: 'department', target: 'department', resolve: 'reference', createMissing: true },
      { source: 'location', target: 'location', resolve: 'reference', createMissing: true },
      { source: 'phone', target: 'phone' },
      { source: 'user_id', target: 'user_name' },
    ],
    mandatoryOnInsert: [],
    // The default map's script: user_name is user_id, or first_name.last_name when no user_id is given.
    script: (source, target) => {
      if (!target.user_name && (source.first_name || source.last_name)) target.user_name = [source.first_name, source.last_name].filter(Boolean).join('.').toLowerCase();
    },
  },
  {
    name: 'Location',
    sourceTable: 'imp_location',
    targetTable: 'cmn_location',
    fieldMaps: [
      { source: 'name', target: 'name', coalesce: true },
      { source: 'street', target: 'street', coalesce: true },
      { source: 'city', target: 'city', coalesce: true },
      { source: 'state', target: 'state', coalesce: true },
      { source: 'zip', target: 'zip', coalesce: true },
      { source: 'country', target: 'country' },
    ],
    mandatoryOnInsert: [],
  },
];
