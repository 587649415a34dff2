// Change Management API: /api/sn_chg_rest/change[/normal|/emergency|/standard[/{template}]][/{sys_id}
// [/task|/conflict|/approvals]]. Records are answered with every field as {display_value, value}, as the API does.
// Creates take the fields from the JSON body and from name=value query parameters; fields the table does not have
// are reported in __meta.ignoredFields. A normal or emergency change starts New (-5) and asks the CAB for approval;
// a standard change comes from a template, pre-approved. Approving moves a change to Scheduled (-2), rejecting to
// Canceled (4). Conflicts: CIs already scheduled by another open change in an overlapping window.
import { errorReply, jsonReply, malformedBody, notFound, type Reply } from '../http/reply.js';
import type { RequestContext } from '../http/request-context.js';
import type { SimulatorState } from '../state.js';
import { formatGlideDateTime } from '../time.js';
import { QuerySyntaxError, displayAndValue, intQuery, readJsonObject, rowsWhere, textValues, type Row } from './product-support.js';

const TYPES = new Set(['normal', 'emergency', 'standard']);
/** Query parameters of the API itself, never field filters. */
const API_PARAMS = new Set(['sysparm_query', 'sysparm_limit', 'sysparm_offset', 'textSearch', 'api_version']);

export function handleChange(state: SimulatorState, ctx: RequestContext): Reply {
  const parts = (ctx.params.rest ?? '').split('/').filter((p) => p !== '');
  const m = ctx.method;
  try {
    if (parts.length === 0) return m === 'GET' ? list(state, ctx, undefined) : methodNotAllowed();
    const [first, second] = parts;
    if (TYPES.has(first!)) {
      if (parts.length === 1) {
        if (m === 'GET') return list(state, ctx, first);
        if (m === 'POST' && first !== 'standard') return create(state, ctx, first!, {});
        return methodNotAllowed();
      }
      if (first === 'standard' && parts.length === 2 && m === 'POST') return createStandard(state, ctx, second!);
      // /change/{type}/{sys_id}: the same change, which must be of that type.
      const row = state.db.get('change_request', second!);
      if (!row || row.type !== first) return notFound();
      return parts.length === 2 ? oneChange(state, ctx, row) : methodNotAllowed();
    }
    const row = state.db.get('change_request', first!);
    if (!row) return notFound();
    if (parts.length === 1) return oneChange(state, ctx, row);
    if (parts.length === 2 && second === 'task' && m === 'GET') return tasks(state, ctx, row);
    if (parts.length === 2 && second === 'conflict') {
      if (m === 'GET') return conflicts(state, row, false);
      if (m === 'POST') return conflicts(state, row, true);
    }
    if (parts.length === 2 && second === 'approvals' && m === 'PATCH') return approve(state, ctx, row);
    return methodNotAllowed();
  } catch (err) {
    if (err instanceof QuerySyntaxError) return errorReply(400, 'Invalid query', err.message);
    throw err;
  }
}

const methodNotAllowed = (): Reply => errorReply(405, 'Method not Supported', 'Requested method is not supported by this resource');

function wrap(state: SimulatorState, table: string, row: Row): Record<string, unknown> {
  return displayAndValue(state, state.db.table(table)!, row);
}

/** name=value query parameters other than the API's own: equality filters, or fields of a create. */
function fieldParams(ctx: RequestContext): Row {
  const out: Row = {};
  for (const [k, v] of ctx.query) if (!API_PARAMS.has(k)) out[k] = v;
  return out;
}

function escape(value: string): string {
  return value.replace(/\^/g, '^^');
}

function list(state: SimulatorState, ctx: RequestContext, type: string | undefined): Reply {
  const conditions: string[] = [];
  if (type) conditions.push(`type=${type}`);
  for (const [k, v] of Object.entries(fieldParams(ctx))) if (/^[a-z0-9_.]+$/.test(k)) conditions.push(`${k}=${escape(v)}`);
  const text = ctx.query.get('textSearch');
  if (text) conditions.push(`short_descriptionLIKE${escape(text)}^ORdescriptionLIKE${escape(text)}`);
  const query = ctx.query.get('sysparm_query');
  if (query) conditions.push(query);
  const rows = rowsWhere(state, 'change_request', conditions.join('^'));
  const offset = intQuery(ctx, 'sysparm_offset', 0);
  const limit = intQuery(ctx, 'sysparm_limit', 500) || 500;
  return jsonReply(200, { result: rows.slice(offset, offset + limit).map((r) => wrap(state, 'change_request', r)) });
}

function oneChange(state: SimulatorState, ctx: RequestContext, row: Row): Reply {
  if (ctx.method === 'GET') return jsonReply(200, { result: wrap(state, 'change_request', row) });
  if (ctx.method === 'PATCH') {
    const body = readJsonObject(ctx);
    if (!body) return malformedBody();
    const { values, ignored } = splitFields(state, { ...fieldParams(ctx), ...textValues(body) });
    const updated = state.db.update('change_request', row.sys_id!, values, ctx.user?.userName)!;
    return jsonReply(200, { result: { ...wrap(state, 'change_request', updated), __meta: { ignoredFields: ignored } } });
  }
  if (ctx.method === 'DELETE') {
    state.db.delete('change_request', row.sys_id!);
    return { status: 204 };
  }
  return methodNotAllowed();
}

/** Fields the table has (system fields and the type are not set by a caller) and the names left out. */
function splitFields(state: SimulatorState, input: Row): { values: Row; ignored: string[] } {
  const table = state.db.table('change_request')!;
  const values: Row = {};
  const ignored: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (table.hasField(k) && !k.startsWith('sys_') && k !== 'type' && k !== 'number') values[k] = v;
    else ignored.push(k);
  }
  return { values, ignored };
}

function create(state: SimulatorState, ctx: RequestContext, type: string, fromTemplate: Row): Reply {
  const body = readJsonObject(ctx);
  if (!body) return malformedBody();
  const { values, ignored } = splitFields(state, { ...fromTemplate, ...fieldParams(ctx), ...textValues(body) });
  const standard = type === 'standard';
  const record = state.db.insert('change_request', { ...values, type, state: '-5', approval: standard ? 'approved' : 'requested' }, ctx.user?.userName).record;
  if (!standard) {
    const cab = rowsWhere(state, 'sys_user', 'user_name=fred.luddy')[0];
    if (cab) state.db.insert('sysapproval_approver', { approver: cab.sys_id!, sysapproval: record.sys_id!, state: 'requested' });
  }
  return jsonReply(200, { result: { ...wrap(state, 'change_request', record), __meta: { ignoredFields: ignored } } });
}

function createStandard(state: SimulatorState, ctx: RequestContext, templateId: string): Reply {
  const template = state.db.get('std_change_record_producer', templateId);
  if (!template || template.active === 'false') return errorReply(404, 'Standard change template not found', `No active standard change template with sys_id ${templateId}`);
  const fields: Row = {};
  for (const pair of (template.template ?? '').split('^')) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return create(state, ctx, 'standard', fields);
}

function tasks(state: SimulatorState, ctx: RequestContext, row: Row): Reply {
  const query = ctx.query.get('sysparm_query');
  const rows = rowsWhere(state, 'change_task', `change_request=${row.sys_id}` + (query ? `^${query}` : ''));
  const offset = intQuery(ctx, 'sysparm_offset', 0);
  const limit = intQuery(ctx, 'sysparm_limit', 500) || 500;
  return jsonReply(200, { result: rows.slice(offset, offset + limit).map((r) => wrap(state, 'change_task', r)) });
}

function conflicts(state: SimulatorState, row: Row, run: boolean): Reply {
  if (run) {
    for (const old of rowsWhere(state, 'conflict', `change=${row.sys_id}`)) state.db.delete('conflict', old.sys_id!);
    if (row.cmdb_ci) {
      for (const other of rowsWhere(state, 'change_request', `cmdb_ci=${row.cmdb_ci}^sys_id!=${row.sys_id}^active=true`)) {
        if (overlaps(row, other)) state.db.insert('conflict', { change: row.sys_id!, conflicting_change: other.sys_id!, configuration_item: row.cmdb_ci, type: 'ci_already_scheduled' });
      }
    }
  }
  const found = rowsWhere(state, 'conflict', `change=${row.sys_id}`);
  return jsonReply(200, {
    result: {
      status: found.length > 0 ? 'Conflict' : 'No Conflict',
      last_run: formatGlideDateTime(state.db.now()),
      record_count: String(found.length),
      job_status: '2',
      conflicts: found.map((c) => wrap(state, 'conflict', c)),
    },
  });
}

/** Planned windows overlap (a change without dates overlaps nothing). */
function overlaps(a: Row, b: Row): boolean {
  if (!a.start_date || !a.end_date || !b.start_date || !b.end_date) return false;
  return a.start_date < b.end_date && b.start_date < a.end_date;
}

function approve(state: SimulatorState, ctx: RequestContext, row: Row): Reply {
  const body = readJsonObject(ctx);
  if (!body) return malformedBody();
  const decision = body['state'];
  if (decision !== 'approved' && decision !== 'rejected') return errorReply(400, 'Invalid approval state', "state must be 'approved' or 'rejected'");
  const comments = typeof body['comments'] === 'string' ? body['comments'] : '';
  if (decision === 'rejected' && comments.trim() === '') return errorReply(400, 'Comments are required', 'A rejection needs comments giving the reason');
  const pending = rowsWhere(state, 'sysapproval_approver', `sysapproval=${row.sys_id}^state=requested`);
  if (pending.length === 0) return errorReply(400, 'No pending approval', `Change ${row.number} has no approval waiting for a decision`);
  for (const a of pending) state.db.update('sysapproval_approver', a.sys_id!, { state: decision, comments }, ctx.user?.userName);
  const updated = state.db.update('change_request', row.sys_id!, { approval: decision, state: decision === 'approved' ? '-2' : '4' }, ctx.user?.userName)!;
  return jsonReply(200, { result: wrap(state, 'change_request', updated) });
}
