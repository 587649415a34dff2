// Transform maps of the seeded Import Set staging tables (ServiceNow keeps them in sys_transform_map/_entry;
// the seed writes them there too so they can be read through the Table API).

export interface FieldMap {
  readonly source: string;
  readonly target: string;
  /** The target record with the same value in this field is updated instead of inserting a new one. */
  readonly coalesce?: boolean;
  /** Source holds a display value to resolve (a choice label or a referenced record's display name / user_name). */
  readonly resolve?: 'choice' | 'user_name';
}

export interface TransformMap {
  readonly name: string;
  readonly sourceTable: string;
  readonly targetTable: string;
  readonly fieldMaps: readonly FieldMap[];
  /** Target fields that must be set when a row inserts a record; a row without them ends in `error`. */
  readonly mandatoryOnInsert: readonly string[];
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
];
