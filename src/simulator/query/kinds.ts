// How values of each ServiceNow field type compare. Every comparator takes two non-empty strings;
// NaN means "not comparable" (a non-number in a numeric field), which no condition accepts.
import { compareFolded } from './fold.js';
import type { FieldType } from './types.js';

/** Families of field types that compare alike. */
export type ValueKind = 'number' | 'boolean' | 'date' | 'choice' | 'text';

export function kindOf(type: FieldType): ValueKind {
  switch (type) {
    case 'integer':
    case 'decimal':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'glide_date_time':
    case 'glide_date':
      return 'date';
    case 'choice':
      return 'choice';
    case 'string':
    case 'journal':
    case 'reference':
    case 'sys_id':
      return 'text';
  }
}

/** Number of a numeric text, NaN for anything else (including '' and blanks, which Number() would call 0). */
export function toNumber(text: string): number {
  if (text === '' || text.charCodeAt(0) <= 32) return NaN;
  return Number(text);
}

/** ServiceNow writes booleans as 'true'/'false'; '1'/'0' are what the database stores. */
export function toBoolean(text: string): number {
  if (text === 'true' || text === '1') return 1;
  if (text === 'false' || text === '0') return 0;
  return NaN;
}

function compareDates(a: string, b: string): number {
  // `YYYY-MM-DD HH:mm:ss` sorts correctly as text, and a bare date sorts before the times of that day.
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: string, b: string): number {
  return toNumber(a) - toNumber(b);
}

function compareBooleans(a: string, b: string): number {
  return toBoolean(a) - toBoolean(b);
}

/** Choice values are mostly numbers stored as text (state, priority): numeric when both sides are numbers. */
function compareChoices(a: string, b: string): number {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === x && y === y) return x - y;
  return compareFolded(a, b);
}

export function comparatorFor(kind: ValueKind): (a: string, b: string) => number {
  switch (kind) {
    case 'number':
      return compareNumbers;
    case 'boolean':
      return compareBooleans;
    case 'date':
      return compareDates;
    case 'choice':
      return compareChoices;
    case 'text':
      return compareFolded;
  }
}
