// The shape getTableSchema returns and the payload/query checks read: one table's fields, inherited ones included.

export interface ChoiceInfo {
  value: string;
  label: string;
}

export interface FieldSchema {
  /** Column name (element), e.g. short_description. */
  name: string;
  label: string;
  /** ServiceNow internal type: string, integer, boolean, choice, reference, glide_date_time, ... */
  type: string;
  /** Declared maximum length, when the dictionary gives one. */
  maxLength?: number;
  mandatory: boolean;
  /** Target table of a reference field. */
  reference?: string;
  /** Allowed values of a choice field, in their display order. */
  choices?: ChoiceInfo[];
  /** Table of the hierarchy that defines the field (task for incident.short_description). */
  definedOn: string;
}

export interface TableSchema {
  name: string;
  label: string;
  /** The table, then its parent, grandparent... (incident, task). */
  hierarchy: string[];
  /** Sorted by name. */
  fields: FieldSchema[];
}
