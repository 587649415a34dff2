// Turns stored rows into ServiceNow's JSON: plain values, reference {link, value}, display values or both.
import type { DisplayValueMode } from '../aggregate/types.js';
import type { Database } from '../store/database.js';
import type { FieldDef } from '../store/schema.js';
import type { TableStore } from '../store/table-store.js';

export type FieldValue = string | { link?: string; value?: string; display_value?: string };

export interface SerializeOptions {
  readonly displayValue: DisplayValueMode;
  readonly excludeReferenceLink: boolean;
  readonly baseUrl: string;
}

interface OutputField {
  readonly path: string;
  readonly def: FieldDef;
  readonly dotted: boolean;
}

/** Plans which fields a response holds: the sysparm_fields list (known paths only) or every field of the table. */
export class RecordSerializer {
  private readonly outputs: OutputField[];
  /** Direct fields to read from storage. */
  private readonly heads: string[];
  private readonly everything: boolean;

  constructor(
    private readonly db: Database,
    private readonly table: TableStore,
    fieldsParam: string | null,
    private readonly options: SerializeOptions,
  ) {
    const wanted = fieldsParam
      ? fieldsParam
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : table.fields.map((fd) => fd.name);
    this.outputs = [];
    const heads = new Set<string>();
    for (const path of wanted) {
      const found = db.fieldDef(table, path);
      if (!found || this.outputs.some((o) => o.path === path)) continue;
      this.outputs.push({ path, def: found.field, dotted: path.includes('.') });
      heads.add(path.split('.')[0]);
    }
    this.heads = [...heads];
    this.everything = !fieldsParam;
  }

  serialize(slot: number): Record<string, FieldValue> {
    const record = this.everything ? this.table.record(slot) : this.table.partialRecord(slot, this.heads);
    const out: Record<string, FieldValue> = {};
    const { displayValue, excludeReferenceLink, baseUrl } = this.options;
    for (const o of this.outputs) {
      const raw = o.dotted ? this.db.value(this.table, record, o.path) : (record[o.path] ?? '');
      const isRef = o.def.type === 'reference' && raw !== '';
      const link = isRef && !excludeReferenceLink ? `${baseUrl}/api/now/table/${o.def.reference}/${raw}` : undefined;
      if (displayValue === 'false') {
        out[o.path] = link ? { link, value: raw } : raw;
      } else {
        const shown = this.db.displayOf(o.def, raw);
        if (displayValue === 'true') out[o.path] = link ? { display_value: shown, link } : shown;
        else out[o.path] = link ? { display_value: shown, value: raw, link } : { display_value: shown, value: raw };
      }
    }
    return out;
  }
}

export function displayValueMode(param: string | null): DisplayValueMode {
  const v = (param ?? 'false').toLowerCase();
  return v === 'true' || v === 'all' ? v : 'false';
}

export function flag(param: string | null): boolean {
  return (param ?? '').toLowerCase() === 'true';
}
