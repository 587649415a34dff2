// Table API: /api/now/table/{table}[/{sys_id}] (also under /api/now/v1 and /api/now/v2).
import { QuerySyntaxError } from '../query-bridge.js';
import { errorReply, invalidTable, JSON_TYPE, rawJsonReply, malformedBody, notAuthorized, notFound, type Reply } from '../http/reply.js';
import type { RequestContext } from '../http/request-context.js';
import { rowAclApplies, rowHidden, tableForbidden, type SimulatorState } from '../state.js';
import { SYS_ID_PATTERN } from '../store/columns.js';
import { jsonToText } from '../store/database.js';
import type { TableStore } from '../store/table-store.js';
import { linkHeader } from './paging-headers.js';
import { nameValueFilters, selectRows, type Selection } from './select-rows.js';
import { recordCache } from './record-cache.js';
import { RecordSerializer, apiRoot, displayValueMode, flag } from './serialize.js';

export function handleTable(state: SimulatorState, ctx: RequestContext): Reply {
  const table = state.db.table(ctx.params.table);
  if (!table) return invalidTable(ctx.params.table);
  if (tableForbidden(table, ctx.user)) return notAuthorized(`Not authorized to access table ${table.name}`);
  const sysId = ctx.params.sys_id;
  switch (ctx.method) {
    case 'GET':
      return sysId === undefined ? list(state, ctx, table) : getOne(state, ctx, table, sysId);
    case 'POST':
      return sysId === undefined ? create(state, ctx, table) : methodNotAllowed();
    case 'PUT':
    case 'PATCH':
      return sysId === undefined ? methodNotAllowed() : update(state, ctx, table, sysId);
    case 'DELETE':
      return sysId === undefined ? methodNotAllowed() : remove(state, ctx, table, sysId);
    default:
      return methodNotAllowed();
  }
}

const methodNotAllowed = (): Reply => errorReply(405, 'Method not Supported', 'Requested method is not supported by this resource');

function serializer(state: SimulatorState, ctx: RequestContext, table: TableStore): RecordSerializer {
  return new RecordSerializer(state.db, table, ctx.query.get('sysparm_fields'), {
    displayValue: displayValueMode(ctx.query.get('sysparm_display_value')),
    excludeReferenceLink: flag(ctx.query.get('sysparm_exclude_reference_link')),
    apiRoot: apiRoot(ctx.baseUrl, ctx.path),
  });
}

function intParam(text: string | null, fallback: number): number {
  if (text === null || text.trim() === '') return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

function list(state: SimulatorState, ctx: RequestContext, table: TableStore): Reply {
  const b = state.behaviour;
  const rawLimit = intParam(ctx.query.get('sysparm_limit'), b.defaultPageLimit);
  const limit = rawLimit > 0 ? rawLimit : b.defaultPageLimit;
  const offset = intParam(ctx.query.get('sysparm_offset'), 0);
  let selection: Selection;
  try {
    selection = selectRows(state.db, table, {
      query: ctx.query.get('sysparm_query') ?? '',
      offset,
      limit,
      invalidQueryReturnsNoRows: b.invalidQueryReturnsNoRows,
      caretEscape: b.caretEscape,
      equals: nameValueFilters(state.db, table, ctx.query),
      countAll: !flag(ctx.query.get('sysparm_no_count')) || b.totalCountWithNoCount,
    });
  } catch (err) {
    if (err instanceof QuerySyntaxError) return errorReply(400, 'Invalid query', err.message);
    throw err;
  }
  const acl = rowAclApplies(state, table, ctx.user);
  const out = serializer(state, ctx, table);
  const slots: number[] = [];
  for (let i = selection.start; i < selection.end; i++) {
    const slot = selection.slots[i];
    // ACLs run after the limit: a hidden row leaves a hole, so the page comes back short.
    if (acl && rowHidden(state, table.sysIdOf(slot))) continue;
    slots.push(slot);
  }
  const headers: Record<string, string> = {};
  const noCount = flag(ctx.query.get('sysparm_no_count'));
  if (!noCount || b.totalCountWithNoCount) headers['X-Total-Count'] = String(selection.total);
  if (!flag(ctx.query.get('sysparm_suppress_pagination_header'))) {
    const link = linkHeader({
      baseUrl: ctx.baseUrl,
      path: ctx.path,
      rawQuery: ctx.rawQuery,
      offset,
      limit,
      total: noCount ? undefined : selection.total,
      pageRows: selection.end - selection.start,
      linkOnSinglePage: b.linkOnSinglePage,
      prevOnFirstPage: b.prevOnFirstPage,
    });
    if (link) headers.Link = link;
  }
  return { ...jsonBody(table, out, '{"result":[', slots, ']}', headers), rows: slots.length };
}

/**
 * `head` + the records' JSON, comma-separated, + `tail`. When the shape can be cached, the body is the records'
 * cached bytes as a few slices (no page-sized string is built and encoded, and no page-sized buffer either);
 * otherwise the text is built as before.
 */
function jsonBody(table: TableStore, out: RecordSerializer, head: string, slots: readonly number[], tail: string, headers: Record<string, string> = {}): Reply {
  if (out.cacheKey === undefined) return rawJsonReply(200, head + slots.map((slot) => out.json(slot)).join(',') + tail, headers);
  const records = recordCache(table, out.cacheKey).join(slots, (slot) => out.json(slot));
  return { status: 200, headers: { 'Content-Type': JSON_TYPE, ...headers }, parts: [Buffer.from(head), ...records, Buffer.from(tail)] };
}

function findVisible(state: SimulatorState, ctx: RequestContext, table: TableStore, sysId: string): number {
  if (!SYS_ID_PATTERN.test(sysId)) return -1;
  const slot = table.find(sysId);
  if (slot < 0) return -1;
  if (rowAclApplies(state, table, ctx.user) && rowHidden(state, sysId)) return -1;
  return slot;
}

function getOne(state: SimulatorState, ctx: RequestContext, table: TableStore, sysId: string): Reply {
  const slot = findVisible(state, ctx, table, sysId);
  if (slot < 0) return notFound();
  return jsonBody(table, serializer(state, ctx, table), '{"result":', [slot], '}');
}

/** The JSON object of a create/update body as stored text, or undefined when the body is not a JSON object. */
function readBody(state: SimulatorState, ctx: RequestContext, table: TableStore): Record<string, string> | undefined {
  let parsed: unknown;
  if (ctx.body.trim() === '') parsed = {};
  else {
    try {
      parsed = JSON.parse(ctx.body);
    } catch {
      return undefined;
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const inputDisplay = flag(ctx.query.get('sysparm_input_display_value'));
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    const text = jsonToText(v);
    const fd = table.fieldByName.get(k);
    values[k] = inputDisplay && fd ? state.db.valueFromDisplay(fd, text) : text;
  }
  return values;
}

function create(state: SimulatorState, ctx: RequestContext, table: TableStore): Reply {
  const values = readBody(state, ctx, table);
  if (!values) return malformedBody();
  const { slot, record } = state.db.insert(table.name, values, ctx.user?.userName);
  return rawJsonReply(201, '{"result":' + serializer(state, ctx, table).json(slot) + '}', { Location: `${apiRoot(ctx.baseUrl, ctx.path)}/table/${table.name}/${record.sys_id}` });
}

function update(state: SimulatorState, ctx: RequestContext, table: TableStore, sysId: string): Reply {
  const slot = findVisible(state, ctx, table, sysId);
  if (slot < 0) return notFound();
  const values = readBody(state, ctx, table);
  if (!values) return malformedBody();
  state.db.update(table.name, sysId, values, ctx.user?.userName);
  return rawJsonReply(200, '{"result":' + serializer(state, ctx, table).json(slot) + '}');
}

function remove(state: SimulatorState, ctx: RequestContext, table: TableStore, sysId: string): Reply {
  const slot = findVisible(state, ctx, table, sysId);
  if (slot < 0) return notFound();
  state.db.delete(table.name, sysId);
  return { status: 204 };
}
