// Runs a staging row through a transform map: coalesce decides insert vs update, and the row ends
// inserted / updated / ignored / skipped / error as ServiceNow reports it.
import { SYS_ID_PATTERN } from '../store/columns.js';
import { coalesceIndex } from './coalesce-index.js';
import type { Database } from '../store/database.js';
import type { TableStore } from '../store/table-store.js';
import type { TransformMap } from '../seed/transform-maps.js';

export type ImportStatus = 'inserted' | 'updated' | 'ignored' | 'skipped' | 'error';

/** One entry of an Import Set API `result` array. */
export interface TransformResult {
  transform_map: string;
  table: string;
  display_name?: string;
  display_value?: string;
  record_link?: string;
  status: ImportStatus;
  sys_id?: string;
  status_message?: string;
  error_message?: string;
}

export function transformRow(db: Database, map: TransformMap, staging: Record<string, string>, baseUrl: string, user: string): TransformResult {
  const target = db.table(map.targetTable)!;
  const base = { transform_map: map.name, table: map.targetTable };
  const values: Record<string, string> = {};
  for (const fm of map.fieldMaps) {
    const raw = (staging[fm.source] ?? '').trim();
    // Empty source fields are not copied (ServiceNow's "Copy empty fields" is off by default).
    if (raw === '') continue;
    const fd = target.fieldByName.get(fm.target);
    if (!fd) continue;
    if (fm.resolve === 'choice') values[fm.target] = fd.choices?.some((c) => c.value === raw) ? raw : db.valueFromDisplay(fd, raw);
    else if (fm.resolve === 'reference' && fd.reference) {
      const resolved = db.valueFromDisplay(fd, raw);
      if (SYS_ID_PATTERN.test(resolved)) values[fm.target] = resolved;
      else if (fm.createMissing && db.table(fd.reference)) {
        // "Choice action: create": an unknown referenced record is created with the given display value.
        const referenced = db.table(fd.reference)!;
        values[fm.target] = db.insert(referenced.name, { [referenced.def.displayField]: raw, ...(referenced.hasField('name') ? { name: raw } : {}) }, user).record.sys_id;
      }
    } else if (fm.resolve === 'user_name') {
      const id = findBy(db.table('sys_user')!, 'user_name', raw);
      if (id === undefined) return { ...base, status: 'error', error_message: `Unable to resolve ${fm.source} '${raw}' to a user`, status_message: `Unable to resolve ${fm.source}` };
      values[fm.target] = id;
    } else values[fm.target] = raw;
  }

  map.script?.(staging, values);

  // Coalesce: a target record with the same values in every coalesce field (empty matching empty) is updated.
  const coalesce = map.fieldMaps.filter((fm) => fm.coalesce);
  const existing = coalesce.length > 0 && coalesce.some((fm) => values[fm.target]) ? findMatch(target, coalesce.map((fm) => [fm.target, values[fm.target] ?? ''] as const)) : undefined;
  const done = (status: ImportStatus, sysId: string, message?: string): TransformResult => {
    const slot = target.find(sysId);
    return {
      ...base,
      display_name: target.def.displayField,
      display_value: target.value(slot, target.def.displayField),
      record_link: `${baseUrl}/api/now/table/${target.name}/${sysId}`,
      status,
      sys_id: sysId,
      ...(message ? { status_message: message } : {}),
    };
  };

  if (existing !== undefined) {
    const slot = target.find(existing);
    // Seeded onBefore rule: closed records are not reopened by imports.
    if (target.hasField('active') && target.value(slot, 'active') === 'false') return done('skipped', existing, 'Target record is inactive; row skipped');
    const changed = Object.entries(values).filter(([k, v]) => target.value(slot, k) !== v);
    if (changed.length === 0) return done('ignored', existing, 'No field values changed');
    db.update(target.name, existing, Object.fromEntries(changed), user);
    return done('updated', existing);
  }
  const missing = map.mandatoryOnInsert.filter((f) => !values[f]);
  if (missing.length > 0) {
    const sources = missing.map((f) => map.fieldMaps.find((fm) => fm.target === f)?.source ?? f);
    const message = `Mandatory field ${missing.join(', ')} is empty (source ${sources.join(', ')}); row not inserted`;
    return { ...base, status: 'error', error_message: message, status_message: message };
  }
  const { record } = db.insert(target.name, values, user);
  return done('inserted', record.sys_id);
}

function findMatch(table: TableStore, pairs: readonly (readonly [string, string])[]): string | undefined {
  const index = coalesceIndex(
    table,
    pairs.map(([field]) => field),
  );
  return index.find(pairs.map(([, value]) => value));
}

function findBy(table: TableStore, field: string, value: string): string | undefined {
  if (field === 'sys_id') return SYS_ID_PATTERN.test(value) && table.find(value) >= 0 ? value : undefined;
  return findMatch(table, [[field, value]]);
}
