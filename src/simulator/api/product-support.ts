// Shared by the CMDB Instance, Service Catalog and Change Management handlers: reading JSON bodies, selecting
// records by encoded query, and the record shapes those APIs answer with.
import { QuerySyntaxError } from '../query-bridge.js';
import type { RequestContext } from '../http/request-context.js';
import type { SimulatorState } from '../state.js';
import { jsonToText } from '../store/database.js';
import type { TableStore } from '../store/table-store.js';
import { selectRows } from './select-rows.js';

export type Row = Record<string, string>;

/** The body as a JSON object; {} for an empty body; undefined when it is not a JSON object. */
export function readJsonObject(ctx: RequestContext): Record<string, unknown> | undefined {
  if (ctx.body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(ctx.body);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Field values of a JSON object as stored text (unknown fields are kept; the store drops them). */
export function textValues(input: unknown): Row {
  const out: Row = {};
  if (input && typeof input === 'object' && !Array.isArray(input)) for (const [k, v] of Object.entries(input)) out[k] = jsonToText(v);
  return out;
}

/** Every record of a table matching an encoded query, in the query's order. Throws QuerySyntaxError. */
export function rowsWhere(state: SimulatorState, table: string, query: string): Row[] {
  const t = state.db.table(table)!;
  const s = selectRows(state.db, t, { query, offset: 0, limit: Number.MAX_SAFE_INTEGER, invalidQueryReturnsNoRows: state.behaviour.invalidQueryReturnsNoRows, caretEscape: state.behaviour.caretEscape });
  const out: Row[] = [];
  for (let i = s.start; i < s.end; i++) out.push(t.record(s.slots[i]!));
  return out;
}

export { QuerySyntaxError };

/** sysparm_limit / sysparm_offset as ServiceNow reads them: bad text falls back to the default. */
export function intQuery(ctx: RequestContext, name: string, fallback: number): number {
  const text = ctx.query.get(name);
  if (text === null || text.trim() === '') return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Tables of a class and its descendants (cmdb_ci -> cmdb_ci_server -> cmdb_ci_linux_server), the class first. */
export function classAndDescendants(state: SimulatorState, className: string): TableStore[] {
  const defs = state.db.tableDefs();
  const out: string[] = [className];
  for (let i = 0; i < out.length; i++) for (const d of defs) if (d.superClass === out[i] && !out.includes(d.name)) out.push(d.name);
  return out.map((n) => state.db.table(n)!).filter(Boolean);
}

/** Whether a table is the class or extends it. */
export function extendsClass(state: SimulatorState, table: string, root: string): boolean {
  const defs = new Map(state.db.tableDefs().map((d) => [d.name, d]));
  for (let t = defs.get(table); t; t = t.superClass ? defs.get(t.superClass) : undefined) if (t.name === root) return true;
  return false;
}

/** Where a record of a class hierarchy lives: its table and values, or undefined. */
export function findInHierarchy(state: SimulatorState, className: string, sysId: string): { table: TableStore; row: Row } | undefined {
  for (const table of classAndDescendants(state, className)) {
    const row = state.db.get(table.name, sysId);
    if (row) return { table, row };
  }
  return undefined;
}

/** Every field as {display_value, value}: the record shape of the Change Management API. */
export function displayAndValue(state: SimulatorState, table: TableStore, row: Row): Record<string, { display_value: string; value: string }> {
  const out: Record<string, { display_value: string; value: string }> = {};
  for (const fd of table.fields) {
    const value = row[fd.name] ?? '';
    out[fd.name] = { display_value: state.db.displayOf(fd, value), value };
  }
  return out;
}

