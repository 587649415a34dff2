// Turns stored rows into ServiceNow's JSON: plain values, reference {link, value}, display values or both.
// Rows are written straight into JSON text (no intermediate objects): list pages of 1,000 full records
// are the hot path of every paging client.
import type { DisplayValueMode } from '../aggregate/types.js';
import type { Column } from '../store/columns.js';
import type { Database } from '../store/database.js';
import type { FieldDef } from '../store/schema.js';
import type { TableStore } from '../store/table-store.js';

export interface SerializeOptions {
  readonly displayValue: DisplayValueMode;
  readonly excludeReferenceLink: boolean;
  /** Scheme, host and API version links start with, e.g. https://host/api/now/v2 (see apiRoot). */
  readonly apiRoot: string;
}

/**
 * `<public base URL>/api/now[/v1|/v2]`: reference links and Location repeat the API version the request used
 * (a v2 list answers with .../api/now/v2/table/sys_user_group/... links, as recorded in the servicenow-rest-api docs).
 */
export function apiRoot(baseUrl: string, path: string): string {
  const m = /^\/api\/now\/(v\d+)\//.exec(path);
  return `${baseUrl}/api/now${m ? '/' + m[1] : ''}`;
}

interface OutputField {
  readonly path: string;
  readonly def: FieldDef;
  /** `"path":` already encoded. */
  readonly key: string;
  /** Direct column, or undefined for a dot-walked path. */
  readonly column: Column | undefined;
  /** `"<base>/api/now/table/<target>/` for reference links. */
  readonly linkPrefix: string | undefined;
  readonly choiceLabels: ReadonlyMap<string, string> | undefined;
  /** Encoded output per stored value, for fields with few distinct values (choices, references, booleans). */
  readonly memo: Map<string, string> | undefined;
  /** Values never need escaping (sys_ids, date-times written by the store). */
  readonly safe: boolean;
}

const MEMO_TYPES = new Set(['boolean', 'choice', 'reference', 'integer', 'decimal']);
const MEMO_CAP = 20_000;

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal; plain text (the common case) is quoted without JSON.stringify. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** Plans which fields a response holds: the sysparm_fields list (known paths only) or every field of the table. */
export class RecordSerializer {
  private readonly outputs: OutputField[] = [];
  /** Direct fields needed to resolve dot-walked paths. */
  private readonly dottedHeads: string[];
  /**
   * Names this output shape when a record's JSON depends on its own row alone (actual values, no dot-walked
   * field), so it can be cached per row (record-cache.ts); undefined when other rows feed it (display values).
   */
  readonly cacheKey: string | undefined;

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
    const heads = new Set<string>();
    for (const path of wanted) {
      const found = db.fieldDef(table, path);
      if (!found || this.outputs.some((o) => o.path === path)) continue;
      const dotted = path.includes('.');
      if (dotted) heads.add(path.split('.')[0]);
      const def = found.field;
      this.outputs.push({
        path,
        def,
        key: jsonString(path) + ':',
        column: dotted ? undefined : table.column(path),
        linkPrefix: def.type === 'reference' && def.reference && !options.excludeReferenceLink ? `${options.apiRoot}/table/${def.reference}/` : undefined,
        choiceLabels: def.choices ? new Map(def.choices.map((c) => [c.value, c.label])) : undefined,
        memo: !dotted && MEMO_TYPES.has(def.type) ? new Map() : undefined,
        // With display_value=all even sys_id and the sys_ dates are {display_value, value} objects, so only the other modes take the shortcut.
        safe: options.displayValue !== 'all' && !dotted && (def.type === 'sys_id' || (def.type === 'glide_date_time' && def.name.startsWith('sys_'))),
      });
    }
    this.dottedHeads = [...heads];
    this.cacheKey =
      options.displayValue === 'false' && heads.size === 0 ? `${this.outputs.map((o) => o.path).join(',')}|${options.excludeReferenceLink}|${options.apiRoot}` : undefined;
  }

  /** One record as JSON text. */
  json(slot: number): string {
    const record = this.dottedHeads.length > 0 ? this.table.partialRecord(slot, this.dottedHeads) : undefined;
    let out = '{';
    for (let i = 0; i < this.outputs.length; i++) {
      const o = this.outputs[i];
      const raw = o.column ? o.column.get(slot) : this.db.value(this.table, record!, o.path);
      if (i > 0) out += ',';
      out += o.key;
      if (o.safe) {
        out += '"' + raw + '"';
        continue;
      }
      if (o.memo) {
        let encoded = o.memo.get(raw);
        if (encoded === undefined) {
          encoded = this.encode(o, raw);
          if (o.memo.size < MEMO_CAP) o.memo.set(raw, encoded);
        }
        out += encoded;
      } else out += this.encode(o, raw);
    }
    return out + '}';
  }

  private encode(o: OutputField, raw: string): string {
    const mode = this.options.displayValue;
    const link = o.linkPrefix !== undefined && raw !== '' ? jsonString(o.linkPrefix + raw) : undefined;
    if (mode === 'false') return link ? '{"link":' + link + ',"value":' + jsonString(raw) + '}' : jsonString(raw);
    const shown = jsonString(o.choiceLabels ? (o.choiceLabels.get(raw) ?? raw) : o.def.type === 'reference' ? this.db.displayOf(o.def, raw) : raw);
    if (mode === 'true') return link ? '{"display_value":' + shown + ',"link":' + link + '}' : shown;
    return '{"display_value":' + shown + ',"value":' + jsonString(raw) + (link ? ',"link":' + link : '') + '}';
  }
}

export function displayValueMode(param: string | null): DisplayValueMode {
  const v = (param ?? 'false').toLowerCase();
  return v === 'true' || v === 'all' ? v : 'false';
}

export function flag(param: string | null): boolean {
  return (param ?? '').toLowerCase() === 'true';
}
