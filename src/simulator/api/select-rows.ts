// Picks the rows of one list page. Fast paths keep paging cheap on large tables:
// no filter (slice the insertion order), keyset paging on sys_id (binary search), plain ORDERBYsys_id, and keyset
// paging ordered by a date then sys_id (`since` reads: ordered-scan.ts).
import { isPlainSysIdOrder, keysetStart, prepareQuery } from '../query-bridge.js';
import type { RecordValues } from '../query/types.js';
import { orderedScan } from './ordered-scan.js';
import { sysIdRangePositions } from './sys-id-range.js';
import { SYS_ID_PATTERN, writeSysIdBytes } from '../store/columns.js';
import type { Database } from '../store/database.js';
import type { FieldDef } from '../store/schema.js';
import type { TableStore } from '../store/table-store.js';

export interface Selection {
  /** Matching rows in order (may be a view into the store: use before the next write). */
  readonly slots: ArrayLike<number>;
  /** First index of `slots` the caller should read (slots may start before the page). */
  readonly start: number;
  /** Index after the last row of the page. */
  readonly end: number;
  /** Rows matching the query (X-Total-Count); with `countAll: false` it may stop at the page's last row. */
  readonly total: number;
}

export interface SelectOptions {
  readonly query: string;
  readonly offset: number;
  readonly limit: number;
  readonly invalidQueryReturnsNoRows: boolean;
  readonly caretEscape: boolean;
  /** Name-value filters given beside sysparm_query (`?user_name=admin`), ANDed with it. */
  readonly equals?: readonly (readonly [string, string])[];
  /** False when the caller will not report the count (sysparm_no_count): a fast path may stop once the page is full. */
  readonly countAll?: boolean;
}

/** Throws QuerySyntaxError for a query that cannot be parsed. */
export function selectRows(db: Database, table: TableStore, o: SelectOptions): Selection {
  const page = (slots: ArrayLike<number>, base: number, total: number): Selection => {
    const start = Math.min(base + o.offset, slots.length);
    return { slots, start, end: Math.min(start + o.limit, slots.length), total };
  };
  const equals = o.equals ?? [];
  if (o.query.trim() === '' && equals.length === 0) return page(table.liveSlots(), 0, table.count);

  const env = db.queryEnvironment(table, { invalidQueryReturnsNoRows: o.invalidQueryReturnsNoRows, caretEscape: o.caretEscape });
  const prepared = prepareQuery(o.query, env, equals);
  const { parsed, compiled } = prepared;

  const after = keysetStart(parsed);
  if (after !== undefined && SYS_ID_PATTERN.test(after)) {
    const key = new Uint8Array(16);
    writeSysIdBytes(after, key, 0);
    const order = table.sysIdOrder();
    const from = table.upperBound(key);
    return page(order, from, order.length - from);
  }
  const range = sysIdRangePositions(parsed, table);
  if (range) return page(table.sysIdOrder().subarray(0, range.end), range.start, range.end - range.start);
  if (isPlainSysIdOrder(parsed)) return page(table.sysIdOrder(), 0, table.count);
  if (!prepared.hasConditions && parsed.orderBy.length === 0) return page(table.liveSlots(), 0, table.count);
  const scan = orderedScan(table, env, prepared, { offset: o.offset, limit: o.limit, countAll: o.countAll ?? true });
  if (scan) return { slots: scan.slots, start: 0, end: scan.slots.length, total: scan.total };

  // Clients page through one query: keep its matching rows so later pages cost only their own rows.
  const cacheKey = `${o.invalidQueryReturnsNoRows ? 1 : 0}${o.caretEscape ? 1 : 0}${equals.length > 0 ? JSON.stringify(equals) : ''}${o.query}`;
  const cached = resultCache.get(table)?.get(cacheKey);
  if (cached && cached.version === table.version) return page(cached.slots, 0, cached.slots.length);

  const live = table.liveSlots();
  const matched: number[] = [];
  const records: RecordValues[] = [];
  const keepRecords = parsed.orderBy.length > 0;
  for (let i = 0; i < live.length; i++) {
    const slot = live[i];
    const record = table.partialRecord(slot, prepared.fields);
    if (!prepared.hasConditions || compiled.matches(record)) {
      matched.push(slot);
      if (keepRecords) records.push(record);
    }
  }
  if (keepRecords) {
    const idx = matched.map((_, i) => i);
    // Stable: ties keep insertion order, as a database would with a consistent plan.
    idx.sort((a, b) => compiled.compare(records[a], records[b]) || a - b);
    return remember(table, cacheKey, Uint32Array.from(idx, (i) => matched[i]), page);
  }
  return remember(table, cacheKey, Uint32Array.from(matched), page);
}

/**
 * The name-value filters of a request: every query parameter that is not a sysparm_ one and names a field (or
 * dot-walked path) of the table; others are ignored, as on an instance. ServiceNow's docs allow display values for
 * choice and reference fields (`&state=closed`, `&assigned_to=john.smith`; the npm servicenow-rest-api client sends
 * `?change_request=CHG0000016`): they are resolved to the stored value.
 */
export function nameValueFilters(db: Database, table: TableStore, query: URLSearchParams): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of query) {
    if (name.startsWith('sysparm_')) continue;
    const found = db.fieldDef(table, name);
    if (!found) continue;
    out.push([name, storedValue(db, found.field, value)]);
  }
  return out;
}

function storedValue(db: Database, fd: FieldDef, value: string): string {
  if (fd.choices && !fd.choices.some((c) => c.value === value)) {
    const wanted = value.toLowerCase();
    return fd.choices.find((c) => c.label.toLowerCase() === wanted)?.value ?? value;
  }
  if (fd.type !== 'reference' || !fd.reference || SYS_ID_PATTERN.test(value)) return value;
  const byDisplay = db.valueFromDisplay(fd, value);
  if (byDisplay !== value || fd.reference !== 'sys_user') return byDisplay;
  // A user may be named by user_name too.
  const users = db.table('sys_user');
  const column = users?.column('user_name');
  if (users && column) for (const slot of users.liveSlots()) if (column.get(slot) === value) return users.sysIdOf(slot);
  return value;
}

const CACHED_QUERIES_PER_TABLE = 8;
const resultCache = new WeakMap<TableStore, Map<string, { version: number; slots: Uint32Array }>>();

function remember(table: TableStore, key: string, slots: Uint32Array, page: (slots: ArrayLike<number>, base: number, total: number) => Selection): Selection {
  let perTable = resultCache.get(table);
  if (!perTable) resultCache.set(table, (perTable = new Map()));
  perTable.delete(key);
  perTable.set(key, { version: table.version, slots });
  // Oldest first in a Map: drop beyond the cap.
  while (perTable.size > CACHED_QUERIES_PER_TABLE) perTable.delete(perTable.keys().next().value!);
  return page(slots, 0, slots.length);
}
