// validatePayload: compares a create/update body with the table's schema and lists every problem at once:
// unknown columns (with the closest real name), values of the wrong type, values outside a choice list,
// texts over the maximum length, and (for creates) mandatory columns left out.
import { closestName } from './closest.js';
import type { FieldSchema, TableSchema } from './types.js';

export interface PayloadOptions {
  /** Creates must carry every mandatory column; updates need not. */
  mandatory: boolean;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function payloadProblems(schema: TableSchema, body: Readonly<Record<string, unknown>>, options: PayloadOptions): string[] {
  const problems: string[] = [];
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  for (const [name, value] of Object.entries(body)) {
    const field = byName.get(name);
    if (!field) {
      const near = closestName(name, schema.fields);
      problems.push(`unknown field '${name}'${near ? ` (did you mean '${near}'?)` : ''}`);
      continue;
    }
    const problem = valueProblem(field, value);
    if (problem) problems.push(`field '${name}' (${field.type}): ${problem}`);
  }
  if (options.mandatory) {
    for (const field of schema.fields) {
      if (!field.mandatory || field.name === 'sys_id' || field.name === 'number') continue;
      const v = body[field.name];
      if (v === undefined || v === null || v === '') problems.push(`mandatory field '${field.name}' (${field.label}) is missing`);
    }
  }
  return problems;
}

function valueProblem(field: FieldSchema, value: unknown): string | undefined {
  if (value === null || value === '') return undefined;
  if (typeof value === 'object') {
    // A reference may be given as {"value": sys_id} or {"sys_id": ...}, as ServiceNow returns it.
    const inner = (value as { value?: unknown; sys_id?: unknown }).value ?? (value as { sys_id?: unknown }).sys_id;
    if (field.type === 'reference' && typeof inner === 'string') return undefined;
    return `expected a text value, got ${Array.isArray(value) ? 'an array' : 'an object'}`;
  }
  const text = String(value);
  switch (field.type) {
    case 'integer':
    case 'longint':
      if (!INTEGER.test(text)) return `'${text}' is not an integer`;
      break;
    case 'decimal':
    case 'float':
    case 'currency':
    case 'price':
      if (!DECIMAL.test(text)) return `'${text}' is not a number`;
      break;
    case 'boolean':
      if (!/^(true|false)$/i.test(text)) return `'${text}' is not true or false`;
      break;
    case 'glide_date_time':
    case 'due_date':
      if (!DATE_TIME.test(text)) return `'${text}' is not a date-time YYYY-MM-DD HH:mm:ss`;
      break;
    case 'glide_date':
      if (!DATE.test(text)) return `'${text}' is not a date YYYY-MM-DD`;
      break;
  }
  if (field.choices && field.choices.length > 0 && !field.choices.some((c) => c.value === text || c.label === text)) {
    return `'${text}' is not one of its choices: ${field.choices.map((c) => `${c.value} (${c.label})`).join(', ')}`;
  }
  if (field.maxLength !== undefined && field.type !== 'boolean' && text.length > field.maxLength) {
    return `${text.length} characters, more than its maximum length ${field.maxLength}`;
  }
  return undefined;
}
