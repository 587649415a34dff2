// Record lists as a table (columns from the fields, display values where present) and as NDJSON or CSV downloads.
import { h } from './dom.js';

const MAX_COLUMNS = 24;
const MAX_ROWS = 500;

/** The records of a payload: its records member when that is a list, a single object as one row. */
export function recordsOf(payload: unknown, member: string): Record<string, unknown>[] | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const value = (payload as Record<string, unknown>)[member];
  if (Array.isArray(value)) return value.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object' && !Array.isArray(r));
  if (value !== null && typeof value === 'object') return [value as Record<string, unknown>];
  return undefined;
}

export function columnsOf(records: readonly Record<string, unknown>[], limit = MAX_COLUMNS): string[] {
  const seen = new Set<string>();
  for (const r of records.slice(0, 200)) for (const k of Object.keys(r)) seen.add(k);
  return [...seen].slice(0, limit);
}

/** A field as shown: its display value when the answer has one, else its value, else JSON. */
export function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  if (typeof v['display_value'] === 'string' || typeof v['display_value'] === 'number') return String(v['display_value']);
  if (typeof v['value'] === 'string' || typeof v['value'] === 'number') return String(v['value']);
  return JSON.stringify(value);
}

function raw(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  if (typeof v['value'] === 'string' || typeof v['value'] === 'number') return String(v['value']);
  return JSON.stringify(value);
}

export function recordTable(records: readonly Record<string, unknown>[], caption: string): HTMLElement {
  const columns = columnsOf(records);
  const shown = records.slice(0, MAX_ROWS);
  const table = h('table', { class: 'records' },
    h('caption', {}, caption + (records.length > shown.length ? ` (first ${shown.length} shown)` : '')),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, shown.map((r) => h('tr', {}, columns.map((c) => {
      const value = r[c];
      const text = display(value);
      const title = value !== null && typeof value === 'object' ? raw(value) : undefined;
      return h('td', { title: title !== text ? title : undefined }, text);
    })))),
  );
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption }, table);
}

export function toNdjson(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
}

export function toCsv(records: readonly Record<string, unknown>[]): string {
  const columns = columnsOf(records, Number.MAX_SAFE_INTEGER);
  const cell = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [columns.map(cell).join(',')];
  for (const r of records) lines.push(columns.map((c) => cell(raw(r[c]))).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
