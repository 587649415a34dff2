// Picks the rows of one list page. Fast paths keep paging cheap on large tables:
// no filter (slice the insertion order), keyset paging on sys_id (binary search), plain ORDERBYsys_id.
import { isPlainSysIdOrder, keysetStart, prepareQuery } from '../query-bridge.js';
import type { RecordValues } from '../query/types.js';
import { SYS_ID_PATTERN, writeSysIdBytes } from '../store/columns.js';
import type { Database } from '../store/database.js';
import type { TableStore } from '../store/table-store.js';

export interface Selection {
  /** Matching rows in order (may be a view into the store: use before the next write). */
  readonly slots: ArrayLike<number>;
  /** First index of `slots` the caller should read (slots may start before the page). */
  readonly start: number;
  /** Index after the last row of the page. */
  readonly end: number;
  /** Rows matching the query (X-Total-Count). */
  readonly total: number;
}

export interface SelectOptions {
  readonly query: string;
  readonly offset: number;
  readonly limit: number;
  readonly invalidQueryReturnsNoRows: boolean;
  readonly caretEscape: boolean;
}

/** Throws QuerySyntaxError for a query that cannot be parsed. */
export function selectRows(db: Database, table: TableStore, o: SelectOptions): Selection {
  const page = (slots: ArrayLike<number>, base: number, total: number): Selection => {
    const start = Math.min(base + o.offset, slots.length);
    return { slots, start, end: Math.min(start + o.limit, slots.length), total };
  };
  if (o.query.trim() === '') return page(table.liveSlots(), 0, table.count);

  const env = db.queryEnvironment(table, { invalidQueryReturnsNoRows: o.invalidQueryReturnsNoRows, caretEscape: o.caretEscape });
  const prepared = prepareQuery(o.query, env);
  const { parsed, compiled } = prepared;

  const after = keysetStart(parsed);
  if (after !== undefined && SYS_ID_PATTERN.test(after)) {
    const key = new Uint8Array(16);
    writeSysIdBytes(after, key, 0);
    const order = table.sysIdOrder();
    const from = table.upperBound(key);
    return page(order, from, order.length - from);
  }
  if (isPlainSysIdOrder(parsed)) return page(table.sysIdOrder(), 0, table.count);
  if (!prepared.hasConditions && parsed.orderBy.length === 0) return page(table.liveSlots(), 0, table.count);

  // Clients page through one query: keep its matching rows so later pages cost only their own rows.
  const cacheKey = `${o.invalidQueryReturnsNoRows ? 1 : 0}${o.caretEscape ? 1 : 0}${o.query}`;
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
