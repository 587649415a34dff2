// Import Set API: POST /api/now/import/{staging}, POST .../insertMultiple, GET .../{sys_id}.
import { errorReply, invalidTable, jsonReply, malformedBody, notFound, type Reply } from '../http/reply.js';
import type { RequestContext } from '../http/request-context.js';
import { transformRow, type TransformResult } from '../imports/transform.js';
import { TRANSFORM_MAPS } from '../seed/transform-maps.js';
import type { SimulatorState } from '../state.js';
import { SYS_ID_PATTERN } from '../store/columns.js';
import { jsonToText } from '../store/database.js';
import type { TableStore } from '../store/table-store.js';

export class ImportSets {
  /** Transform results per staging row sys_id, for GET .../{sys_id}. */
  private readonly results = new Map<string, TransformResult[]>();

  constructor(private readonly state: SimulatorState) {}

  handle(ctx: RequestContext, kind: 'import' | 'importMultiple' | 'importGet'): Reply {
    const staging = this.state.db.table(ctx.params.staging);
    // Only tables with import-set columns are staging tables.
    if (!staging || !staging.hasField('sys_import_set')) return invalidTable(ctx.params.staging);
    if (kind === 'importGet') return ctx.method === 'GET' ? this.getRow(ctx, staging) : methodNotAllowed();
    if (ctx.method !== 'POST') return methodNotAllowed();
    return kind === 'import' ? this.insertOne(ctx, staging) : this.insertMultiple(ctx, staging);
  }

  private insertOne(ctx: RequestContext, staging: TableStore): Reply {
    const row = parseObject(ctx.body);
    if (!row) return malformedBody();
    const set = this.newImportSet(staging, 'synchronous', '');
    const rowId = this.stage(staging, set.sysId, 0, row, ctx.user?.userName);
    const result = this.transform(staging, rowId, ctx.baseUrl, ctx.user?.userName ?? 'admin');
    this.state.db.update('sys_import_set', set.sysId, { state: 'processed' });
    return jsonReply(201, { import_set: set.number, staging_table: staging.name, result });
  }

  private insertMultiple(ctx: RequestContext, staging: TableStore): Reply {
    let body: unknown;
    try {
      body = JSON.parse(ctx.body);
    } catch {
      return malformedBody();
    }
    const records = (body as { records?: unknown } | null)?.records;
    if (!Array.isArray(records) || !records.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
      return errorReply(400, 'Exception while reading request', 'Expected {"records": [ {...}, ... ]}');
    }
    const multiId = this.state.db.newSysId();
    const synchronous = this.state.behaviour.importMultipleSynchronous;
    const set = this.newImportSet(staging, synchronous ? 'synchronous' : 'asynchronous', multiId);
    const user = ctx.user?.userName ?? 'admin';
    const rowIds = (records as Record<string, unknown>[]).map((r, i) => this.stage(staging, set.sysId, i, toText(r), user));
    const runAll = (): TransformResult[] => {
      const out = rowIds.flatMap((id) => this.transform(staging, id, ctx.baseUrl, user));
      this.state.db.update('sys_import_set', set.sysId, { state: 'processed' });
      return out;
    };
    if (synchronous) return jsonReply(201, { import_set_id: set.sysId, multi_import_set_id: multiId, result: runAll() });
    // Asynchronous by default: answer first, transform right after.
    setImmediate(runAll);
    return jsonReply(201, { import_set_id: set.sysId, multi_import_set_id: multiId });
  }

  private getRow(ctx: RequestContext, staging: TableStore): Reply {
    const id = ctx.params.sys_id;
    const slot = SYS_ID_PATTERN.test(id) ? staging.find(id) : -1;
    if (slot < 0) return notFound();
    const setId = staging.value(slot, 'sys_import_set');
    const setNumber = this.state.db.get('sys_import_set', setId)?.number ?? '';
    const result = this.results.get(id) ?? TRANSFORM_MAPS.filter((m) => m.sourceTable === staging.name).map((m) => ({ transform_map: m.name, table: m.targetTable, status: 'pending', status_message: 'Row not transformed yet' }));
    return jsonReply(200, { import_set: setNumber, staging_table: staging.name, result });
  }

  private newImportSet(staging: TableStore, mode: string, multiId: string): { sysId: string; number: string } {
    const rec = this.state.db.insert('sys_import_set', { table_name: staging.name, state: 'loaded', mode, multi_import_set_id: multiId }).record;
    return { sysId: rec.sys_id, number: rec.number };
  }

  private stage(staging: TableStore, setId: string, index: number, row: Record<string, string>, user?: string): string {
    const values = { ...row, sys_import_set: setId, sys_import_row: String(index), sys_import_state: 'pending' };
    return this.state.db.insert(staging.name, values, user).record.sys_id;
  }

  private transform(staging: TableStore, rowId: string, baseUrl: string, user: string): TransformResult[] {
    const row = this.state.db.get(staging.name, rowId)!;
    const results = TRANSFORM_MAPS.filter((m) => m.sourceTable === staging.name).map((map) => transformRow(this.state.db, map, row, baseUrl, user));
    this.results.set(rowId, results);
    const first = results[0];
    if (first) {
      this.state.db.update(staging.name, rowId, {
        sys_import_state: first.status,
        sys_import_state_comment: first.status_message ?? '',
        sys_row_error: first.error_message ?? '',
        sys_target_table: first.table,
        sys_target_sys_id: first.sys_id ?? '',
      });
    }
    return results;
  }
}

const methodNotAllowed = (): Reply => errorReply(405, 'Method not Supported', 'Requested method is not supported by this resource');

function parseObject(body: string): Record<string, string> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? toText(v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toText(row: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) out[k] = jsonToText(v);
  return out;
}
