// CMDB Instance API: /api/now/cmdb/instance/{className}[/{sys_id}[/relation[/{rel_sys_id}]]].
// A class is cmdb_ci or a table extending it; lists and reads cover the class and its descendants. A CI is
// answered as {attributes, outbound_relations, inbound_relations}, references in attributes as
// {display_value, link, value}; writes need `source` (ServiceNow's discovery source), as documented.
// Status codes: ServiceNow's reference lists only 200 for every call; the simulator answers a create with 201 (as
// the Table API does) and a relation delete with 204. Unconfirmed; the connector accepts either.
import { errorReply, jsonReply, malformedBody, notFound, type Reply } from '../http/reply.js';
import type { RequestContext } from '../http/request-context.js';
import type { SimulatorState } from '../state.js';
import { SYS_ID_PATTERN } from '../store/columns.js';
import type { TableStore } from '../store/table-store.js';
import { QuerySyntaxError, classAndDescendants, extendsClass, findInHierarchy, intQuery, readJsonObject, rowsWhere, textValues, type Row } from './product-support.js';

const CI_ROOT = 'cmdb_ci';

export function handleCmdb(state: SimulatorState, ctx: RequestContext): Reply {
  const { className, sys_id: sysId, relation, rel_sys_id: relSysId } = ctx.params;
  if (!className || !state.db.table(className) || !extendsClass(state, className, CI_ROOT)) {
    return errorReply(400, `Invalid class ${className ?? ''}`, `${className ?? ''} is not a CMDB class (a table extending ${CI_ROOT})`);
  }
  const m = ctx.method;
  if (sysId === undefined) {
    if (m === 'GET') return list(state, ctx, className);
    if (m === 'POST') return create(state, ctx, className);
    return methodNotAllowed();
  }
  if (relation === undefined) {
    if (m === 'GET') return read(state, ctx, className, sysId);
    if (m === 'PATCH' || m === 'PUT') return update(state, ctx, className, sysId);
    return methodNotAllowed();
  }
  if (relSysId === undefined) return m === 'POST' ? addRelations(state, ctx, className, sysId) : methodNotAllowed();
  return m === 'DELETE' ? deleteRelation(state, className, sysId, relSysId) : methodNotAllowed();
}

const methodNotAllowed = (): Reply => errorReply(405, 'Method not Supported', 'Requested method is not supported by this resource');

function list(state: SimulatorState, ctx: RequestContext, className: string): Reply {
  const query = ctx.query.get('sysparm_query') ?? '';
  const rows: Row[] = [];
  try {
    for (const table of classAndDescendants(state, className)) rows.push(...rowsWhere(state, table.name, query));
  } catch (err) {
    if (err instanceof QuerySyntaxError) return errorReply(400, 'Invalid query', err.message);
    throw err;
  }
  const offset = intQuery(ctx, 'sysparm_offset', 0);
  const limit = intQuery(ctx, 'sysparm_limit', 10000) || 10000;
  return jsonReply(200, { result: rows.slice(offset, offset + limit).map((r) => ({ sys_id: r.sys_id, name: r.name ?? '' })) });
}

function read(state: SimulatorState, ctx: RequestContext, className: string, sysId: string): Reply {
  const found = findInHierarchy(state, className, sysId);
  if (!found) return notFound();
  return jsonReply(200, { result: ciDocument(state, ctx, found.table, found.row) });
}

interface RelationInput {
  type: string;
  target: string;
}

/** The relations of a body, or an error text naming what is wrong. */
function readRelations(state: SimulatorState, body: Record<string, unknown>, key: 'inbound_relations' | 'outbound_relations'): RelationInput[] | string {
  const raw = body[key];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return `${key} must be an array`;
  const out: RelationInput[] = [];
  for (const r of raw) {
    const type = typeof r?.type === 'string' ? r.type : '';
    const target = typeof r?.target === 'string' ? r.target : '';
    if (!state.db.get('cmdb_rel_type', type)) return `${key}: type '${type}' is not a sys_id of cmdb_rel_type`;
    if (!findInHierarchy(state, CI_ROOT, target)) return `${key}: target '${target}' is not a sys_id of a configuration item`;
    out.push({ type, target });
  }
  return out;
}

/** A write's body: its JSON, discovery source and relations, or the 400 ServiceNow answers. */
function readWrite(state: SimulatorState, ctx: RequestContext): { body: Record<string, unknown>; source: string; inbound: RelationInput[]; outbound: RelationInput[] } | Reply {
  const body = readJsonObject(ctx);
  if (!body) return malformedBody();
  const source = sourceOf(body);
  if (typeof source !== 'string') return source;
  const inbound = readRelations(state, body, 'inbound_relations');
  const outbound = readRelations(state, body, 'outbound_relations');
  if (typeof inbound === 'string') return errorReply(400, 'Invalid relations', inbound);
  if (typeof outbound === 'string') return errorReply(400, 'Invalid relations', outbound);
  return { body, source, inbound, outbound };
}

function create(state: SimulatorState, ctx: RequestContext, className: string): Reply {
  const write = readWrite(state, ctx);
  if ('status' in write) return write;
  const attributes = textValues(write.body['attributes']);
  if (!attributes.name) return errorReply(400, 'Identification failed', 'attributes.name is required to identify the configuration item');
  const table = state.db.table(className)!;
  const { record } = state.db.insert(className, { ...(table.hasField('discovery_source') ? { discovery_source: write.source } : {}), ...attributes }, ctx.user?.userName);
  relate(state, record.sys_id!, write.inbound, write.outbound);
  return jsonReply(201, { result: ciDocument(state, ctx, table, state.db.get(className, record.sys_id!)!) });
}

function update(state: SimulatorState, ctx: RequestContext, className: string, sysId: string): Reply {
  const found = findInHierarchy(state, className, sysId);
  if (!found) return notFound();
  const body = readJsonObject(ctx);
  if (!body) return malformedBody();
  const source = sourceOf(body);
  if (typeof source !== 'string') return source;
  const row = state.db.update(found.table.name, sysId, textValues(body['attributes']), ctx.user?.userName)!;
  return jsonReply(200, { result: ciDocument(state, ctx, found.table, row) });
}

function addRelations(state: SimulatorState, ctx: RequestContext, className: string, sysId: string): Reply {
  const found = findInHierarchy(state, className, sysId);
  if (!found) return notFound();
  const write = readWrite(state, ctx);
  if ('status' in write) return write;
  if (write.inbound.length + write.outbound.length === 0) return errorReply(400, 'No relations', 'Give inbound_relations or outbound_relations');
  relate(state, sysId, write.inbound, write.outbound);
  return jsonReply(200, { result: ciDocument(state, ctx, found.table, found.row) });
}

function deleteRelation(state: SimulatorState, className: string, sysId: string, relSysId: string): Reply {
  if (!findInHierarchy(state, className, sysId)) return notFound();
  const rel = SYS_ID_PATTERN.test(relSysId) ? state.db.get('cmdb_rel_ci', relSysId) : undefined;
  if (!rel || (rel.parent !== sysId && rel.child !== sysId)) return notFound();
  state.db.delete('cmdb_rel_ci', relSysId);
  return { status: 204 };
}

function sourceOf(body: Record<string, unknown>): string | Reply {
  const source = body['source'];
  if (typeof source !== 'string' || source.trim() === '') return errorReply(400, 'source is mandatory', 'Give the discovery source of the data, e.g. "ServiceNow"');
  return source;
}

function relate(state: SimulatorState, sysId: string, inbound: RelationInput[], outbound: RelationInput[]): void {
  for (const r of outbound) state.db.insert('cmdb_rel_ci', { parent: sysId, child: r.target, type: r.type });
  for (const r of inbound) state.db.insert('cmdb_rel_ci', { parent: r.target, child: sysId, type: r.type });
}

function ciDocument(state: SimulatorState, ctx: RequestContext, table: TableStore, row: Row): Record<string, unknown> {
  const base = ctx.baseUrl;
  const attributes: Record<string, unknown> = {};
  for (const fd of table.fields) {
    const value = row[fd.name] ?? '';
    attributes[fd.name] = fd.type === 'reference' && fd.reference && value !== '' ? { display_value: displayOfCi(state, fd.reference, value), link: `${base}/api/now/table/${fd.reference}/${value}`, value } : value;
  }
  const relation = (rel: Row, other: string) => {
    const type = state.db.get('cmdb_rel_type', rel.type ?? '');
    return {
      sys_id: rel.sys_id,
      type: { display_value: type?.name ?? '', link: `${base}/api/now/table/cmdb_rel_type/${rel.type}`, value: rel.type },
      target: { display_value: displayOfCi(state, CI_ROOT, other), link: `${base}/api/now/cmdb/instance/${CI_ROOT}/${other}`, value: other },
    };
  };
  return {
    outbound_relations: rowsWhere(state, 'cmdb_rel_ci', `parent=${row.sys_id}`).map((r) => relation(r, r.child ?? '')),
    attributes,
    inbound_relations: rowsWhere(state, 'cmdb_rel_ci', `child=${row.sys_id}`).map((r) => relation(r, r.parent ?? '')),
  };
}

/** Display value of a reference; CIs are looked up across the class hierarchy (the store keeps one table per class). */
function displayOfCi(state: SimulatorState, table: string, sysId: string): string {
  const found = extendsClass(state, table, CI_ROOT) ? findInHierarchy(state, CI_ROOT, sysId) : undefined;
  if (found) return found.row.name ?? '';
  const t = state.db.table(table);
  const row = t ? state.db.get(table, sysId) : undefined;
  return row && t ? (row[t.def.displayField] ?? '') : '';
}
