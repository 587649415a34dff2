// The one module that knows how ServiceNow describes its tables: sys_db_object (tables and their parent,
// super_class), sys_dictionary (one row per column, on the table that defines it) and sys_choice (choice values
// per table and column). The requests are declared in operations/getTableSchema.xml; this module only turns
// their answers into a TableSchema. It is code rather than catalogue data because it merges three answers
// with ServiceNow's inheritance rules (a child's dictionary entry or choice list overrides its parent's),
// which a body template cannot express.
import { ConnectorError } from '../errors.js';
import type { ChoiceInfo, FieldSchema, TableSchema } from './types.js';

/** Step answers of getTableSchema: each is a Table API list payload ({ result: [...] }). */
export interface DictionaryAnswers {
  hierarchy: unknown;
  fields: unknown;
  choices: unknown;
}

/** Dot-walk depth of the hierarchy step: `name`, `super_class.name`, `super_class.super_class.name`, ... */
const HIERARCHY_KEY = /^(super_class\.)*name$/;

export function buildTableSchema(operation: string, tableName: string, answers: DictionaryAnswers): TableSchema {
  const tableRow = rows(answers.hierarchy)[0];
  if (!tableRow) {
    throw new ConnectorError({ code: 'NOT_FOUND', operation, parameter: 'tableName', message: `${operation}: there is no table '${tableName}' (no sys_db_object record with that name)` });
  }
  const hierarchy = Object.keys(tableRow)
    .filter((key) => HIERARCHY_KEY.test(key))
    .sort((a, b) => a.length - b.length)
    .map((key) => text(tableRow[key]))
    .filter((name) => name !== '');
  const depth = new Map(hierarchy.map((name, i) => [name, i]));

  // The entry of the table nearest to the one asked for wins (a child may redefine a parent's column).
  const byElement = new Map<string, { row: Record<string, unknown>; depth: number }>();
  for (const row of rows(answers.fields)) {
    const element = text(row['element']);
    const d = depth.get(text(row['name']));
    if (element === '' || d === undefined) continue;
    const seen = byElement.get(element);
    if (!seen || d < seen.depth) byElement.set(element, { row, depth: d });
  }

  const choiceLists = new Map<string, { depth: number; choices: Array<ChoiceInfo & { sequence: number }> }>();
  for (const row of rows(answers.choices)) {
    const element = text(row['element']);
    const d = depth.get(text(row['name']));
    if (element === '' || d === undefined) continue;
    let list = choiceLists.get(element);
    if (list && d > list.depth) continue;
    if (!list || d < list.depth) choiceLists.set(element, (list = { depth: d, choices: [] }));
    list.choices.push({ value: text(row['value']), label: text(row['label']), sequence: Number(text(row['sequence'])) || 0 });
  }

  const fields: FieldSchema[] = [];
  for (const [element, { row }] of byElement) {
    const field: FieldSchema = {
      name: element,
      label: text(row['column_label']),
      type: text(row['internal_type']) || 'string',
      mandatory: text(row['mandatory']) === 'true',
      definedOn: text(row['name']),
    };
    const maxLength = Number(text(row['max_length']));
    if (Number.isInteger(maxLength) && maxLength > 0) field.maxLength = maxLength;
    const reference = text(row['reference']);
    if (reference !== '') field.reference = reference;
    const choices = choiceLists.get(element);
    if (choices) field.choices = choices.choices.sort((a, b) => a.sequence - b.sequence).map(({ value, label }) => ({ value, label }));
    fields.push(field);
  }
  fields.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { name: hierarchy[0] ?? tableName, label: text(tableRow['label']), hierarchy, fields };
}

function rows(payload: unknown): Array<Record<string, unknown>> {
  const result = (payload as { result?: unknown } | undefined)?.result;
  return Array.isArray(result) ? result.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object') : [];
}

/** A value as text: plain, or the `value` of a reference object (when links were not excluded). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') return (value as { value: string }).value;
  return '';
}
