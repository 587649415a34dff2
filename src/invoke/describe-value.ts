// How a rejected value is shown in an error: short, and never for a secret parameter.
import type { ParameterDescriptor } from '../catalogue/index.js';
import { redactText } from '../logger.js';

const MAX = 80;

export function describeValue(param: ParameterDescriptor | undefined, value: unknown): string {
  if (param?.secret) return '(value hidden)';
  let text: string;
  try {
    // Numbers as written (JSON would show Infinity and NaN as null).
    text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (text.length > MAX) text = text.slice(0, MAX) + '...';
  return redactText(text);
}
