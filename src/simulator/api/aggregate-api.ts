// Aggregate API: GET /api/now/stats/{table} -> {"result": ...} computed by the aggregate engine over the filtered rows.
import { AggregateParamError, computeAggregate, type AggregateEnvironment, type AggregateParams } from '../aggregate/index.js';
import { errorReply, invalidTable, jsonReply, notAuthorized, type Reply } from '../http/reply.js';
import type { RequestContext } from '../http/request-context.js';
import { QuerySyntaxError } from '../query-bridge.js';
import type { RecordValues } from '../query/types.js';
import { rowAclApplies, rowHidden, tableForbidden, type SimulatorState } from '../state.js';
import type { TableStore } from '../store/table-store.js';
import { nameValueFilters, selectRows, type Selection } from './select-rows.js';
import { displayValueMode } from './serialize.js';

export function handleStats(state: SimulatorState, ctx: RequestContext): Reply {
  if (ctx.method !== 'GET') return errorReply(405, 'Method not Supported', 'Requested method is not supported by this resource');
  const table = state.db.table(ctx.params.table);
  if (!table) return invalidTable(ctx.params.table);
  const acl = rowAclApplies(state, table, ctx.user);
  // An ACL that hides the whole table answers 403 on the Aggregate API.
  if (tableForbidden(table, ctx.user) || (acl && state.behaviour.aclHideRate >= 1)) return notAuthorized(`Not authorized to read table ${table.name}`);
  const q = ctx.query;
  const params: AggregateParams = {
    count: q.get('sysparm_count') ?? undefined,
    avgFields: q.get('sysparm_avg_fields') ?? undefined,
    minFields: q.get('sysparm_min_fields') ?? undefined,
    maxFields: q.get('sysparm_max_fields') ?? undefined,
    sumFields: q.get('sysparm_sum_fields') ?? undefined,
    groupBy: q.get('sysparm_group_by') ?? undefined,
    having: q.get('sysparm_having') ?? undefined,
    orderBy: q.get('sysparm_order_by') ?? undefined,
    displayValue: displayValueMode(q.get('sysparm_display_value')),
  };
  let selection: Selection;
  try {
    selection = selectRows(state.db, table, {
      query: q.get('sysparm_query') ?? '',
      offset: 0,
      limit: Number.MAX_SAFE_INTEGER,
      invalidQueryReturnsNoRows: state.behaviour.invalidQueryReturnsNoRows,
      caretEscape: state.behaviour.caretEscape,
      equals: nameValueFilters(state.db, table, q),
    });
  } catch (err) {
    if (err instanceof QuerySyntaxError) return errorReply(400, 'Invalid query', err.message);
    throw err;
  }
  const fields = referencedFields(table, params);
  const picked = selection;
  function* rows(): Generator<RecordValues> {
    for (let i = picked.start; i < picked.end; i++) {
      const slot = picked.slots[i];
      if (acl && rowHidden(state, table!.sysIdOf(slot))) continue;
      yield table!.partialRecord(slot, fields);
    }
  }
  const env: AggregateEnvironment = {
    fieldType: (path) => state.db.fieldType(table, path),
    value: (record, path) => state.db.value(table, record, path),
    displayValue: (record, path) => state.db.displayValue(table, record, path),
    groupDisplayValueWithAll: state.behaviour.groupDisplayValueWithAll,
  };
  try {
    return jsonReply(200, { result: computeAggregate(rows(), params, env) });
  } catch (err) {
    if (err instanceof AggregateParamError) return errorReply(400, err.message, null);
    throw err;
  }
}

/** Direct fields any parameter may name (over-inclusion is harmless; it only saves building whole records). */
function referencedFields(table: TableStore, params: AggregateParams): string[] {
  const text = [params.avgFields, params.minFields, params.maxFields, params.sumFields, params.groupBy, params.having, params.orderBy].filter(Boolean).join(',');
  const out = new Set<string>();
  for (const token of text.split(/[,^]/)) {
    const head = token.trim().split('.')[0];
    if (table.hasField(head)) out.add(head);
  }
  return [...out];
}
