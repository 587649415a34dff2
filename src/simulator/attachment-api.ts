// Attachment API: GET /api/now/attachment (metadata list), GET /api/now/attachment/{sys_id} (metadata),
// GET /api/now/attachment/{sys_id}/file (content), POST /api/now/attachment/file?table_name=&table_sys_id=&file_name=
// (the raw bytes as the body, with their Content-Type), DELETE /api/now/attachment/{sys_id}.
// Contents are kept in memory as received, byte for byte; metadata follows ServiceNow's sys_attachment fields.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { prepareQuery, QuerySyntaxError } from './query-bridge.js';
import type { FieldType, RecordValues } from './query/types.js';
import { imageFacts } from './image-facts.js';
import { errorReply, jsonReply, notFound, type Reply } from './http/reply.js';
import type { RequestContext } from './http/request-context.js';
import type { SimulatorState } from './state.js';
import { SYS_ID_PATTERN } from './store/columns.js';
import { formatGlideDateTime } from './time.js';

interface StoredAttachment {
  meta: Record<string, string>;
  content: Buffer;
}

/** Largest upload accepted (ServiceNow's default com.glide.attachment.max_size is 1 GB; the simulator keeps it in memory). */
const MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024;

export class Attachments {
  private readonly byId = new Map<string, StoredAttachment>();

  constructor(private readonly state: SimulatorState) {}

  /** `rest` is what follows /api/now/attachment: '', '/file', '/{sys_id}', '/{sys_id}/file'. */
  handle(ctx: RequestContext): Reply {
    const rest = ctx.params.rest ?? '';
    const parts = rest.split('/').filter((p) => p !== '');
    if (parts.length === 0) return ctx.method === 'GET' ? this.list(ctx) : methodNotAllowed();
    if (parts.length === 1 && parts[0] === 'file') return ctx.method === 'POST' ? this.upload(ctx) : methodNotAllowed();
    const sysId = parts[0]!;
    if (parts.length === 1) {
      if (ctx.method === 'GET') return this.metadata(ctx, sysId);
      if (ctx.method === 'DELETE') return this.remove(sysId);
      return methodNotAllowed();
    }
    if (parts.length === 2 && parts[1] === 'file') return ctx.method === 'GET' ? this.download(ctx, sysId) : methodNotAllowed();
    return errorReply(400, `Requested URI does not represent any resource: ${ctx.path}`, null);
  }

  count(): number {
    return this.byId.size;
  }

  private upload(ctx: RequestContext): Reply {
    const tableName = ctx.query.get('table_name') ?? '';
    const tableSysId = ctx.query.get('table_sys_id') ?? '';
    const fileName = ctx.query.get('file_name') ?? '';
    if (tableName === '' || tableSysId === '' || fileName === '') {
      return errorReply(400, 'Failed to create the attachment', 'table_name, table_sys_id and file_name are required query parameters');
    }
    const table = this.state.db.table(tableName);
    if (!table) return errorReply(400, `Invalid table ${tableName}`, null);
    if (!this.state.db.get(tableName, tableSysId)) return errorReply(400, 'Failed to create the attachment', `No record ${tableSysId} in table ${tableName}`);
    const content = ctx.rawBody;
    if (content.length > MAX_ATTACHMENT_BYTES) return errorReply(400, 'Failed to create the attachment', `The file exceeds ${MAX_ATTACHMENT_BYTES} bytes`);
    const contentType = headerText(ctx.headers['content-type']) ?? 'application/octet-stream';
    const sysId = this.newSysId();
    const now = formatGlideDateTime(Math.floor(Date.now() / 1000));
    const user = ctx.user?.userName ?? 'admin';
    const image = imageFacts(content);
    // The fields of sys_attachment as recorded instances send them (servicenow-rest-api's docs show a full record):
    // stored gzip-compressed in chunks of 700,000 bytes, a SHA-256 hash, image size and average colour for images.
    const meta: Record<string, string> = {
      size_bytes: String(content.length),
      file_name: fileName,
      sys_mod_count: '0',
      average_image_color: image?.averageColor ?? '',
      image_width: image ? String(image.width) : '',
      sys_updated_on: now,
      sys_tags: '',
      table_name: tableName,
      sys_id: sysId,
      image_height: image ? String(image.height) : '',
      sys_updated_by: user,
      content_type: contentType,
      sys_created_on: now,
      size_compressed: String(gzipSync(content).length),
      compressed: 'true',
      state: 'available',
      table_sys_id: tableSysId,
      chunk_size_bytes: '700000',
      hash: createHash('sha256').update(content).digest('hex'),
      sys_created_by: user,
    };
    this.byId.set(sysId, { meta, content: Buffer.from(content) });
    return jsonReply(201, { result: this.view(ctx, meta) }, { Location: `${ctx.baseUrl}/api/now/attachment/${sysId}` });
  }

  private list(ctx: RequestContext): Reply {
    // sysparm_query and name-value filters (`?table_sys_id=...&table_name=...`), through the same query engine as tables.
    const equals: [string, string][] = [...ctx.query].filter(([name]) => !name.startsWith('sysparm_') && ATTACHMENT_FIELDS.has(name));
    let matches: (meta: RecordValues) => boolean;
    try {
      const env = {
        fieldType: (path: string): FieldType | undefined => ATTACHMENT_FIELDS.get(path),
        value: (record: RecordValues, path: string) => record[path] ?? '',
        invalidQueryReturnsNoRows: this.state.behaviour.invalidQueryReturnsNoRows,
        caretEscape: this.state.behaviour.caretEscape,
      };
      const prepared = prepareQuery(ctx.query.get('sysparm_query') ?? '', env, equals);
      matches = (meta) => prepared.compiled.matches(meta);
    } catch (err) {
      if (err instanceof QuerySyntaxError) return errorReply(400, 'Invalid query', err.message);
      throw err;
    }
    const limit = Number(ctx.query.get('sysparm_limit') ?? '1000') || 1000;
    const offset = Number(ctx.query.get('sysparm_offset') ?? '0') || 0;
    const rows = [...this.byId.values()].filter(({ meta }) => matches(meta));
    const page = rows.slice(offset, offset + limit).map(({ meta }) => this.view(ctx, meta));
    return { ...jsonReply(200, { result: page }, { 'X-Total-Count': String(rows.length) }), rows: page.length };
  }

  private metadata(ctx: RequestContext, sysId: string): Reply {
    const found = this.byId.get(sysId);
    return found ? jsonReply(200, { result: this.view(ctx, found.meta) }) : notFound();
  }

  private download(ctx: RequestContext, sysId: string): Reply {
    const found = this.byId.get(sysId);
    if (!found) return notFound();
    return {
      status: 200,
      headers: {
        'Content-Type': found.meta.content_type!,
        'Content-Disposition': `attachment;filename=${encodeURIComponent(found.meta.file_name ?? 'file')}`,
        // ServiceNow sends the metadata along with the content.
        'X-Attachment-Metadata': JSON.stringify(this.view(ctx, found.meta)),
      },
      binary: found.content,
    };
  }

  private remove(sysId: string): Reply {
    return this.byId.delete(sysId) ? { status: 204 } : notFound();
  }

  private view(ctx: RequestContext, meta: Record<string, string>): Record<string, string> {
    return { ...meta, download_link: `${ctx.baseUrl}/api/now/attachment/${meta.sys_id}/file` };
  }

  private newSysId(): string {
    for (;;) {
      const id = this.state.db.newSysId();
      if (SYS_ID_PATTERN.test(id) && !this.byId.has(id)) return id;
    }
  }
}

/** sys_attachment's fields and their types, for sysparm_query and name-value filters on the metadata list. */
const ATTACHMENT_FIELDS: ReadonlyMap<string, FieldType> = new Map<string, FieldType>([
  ['sys_id', 'sys_id'],
  ['file_name', 'string'],
  ['content_type', 'string'],
  ['size_bytes', 'integer'],
  ['size_compressed', 'integer'],
  ['compressed', 'boolean'],
  ['hash', 'string'],
  ['table_name', 'string'],
  ['table_sys_id', 'string'],
  ['state', 'string'],
  ['image_width', 'integer'],
  ['image_height', 'integer'],
  ['average_image_color', 'string'],
  ['chunk_size_bytes', 'string'],
  ['sys_tags', 'string'],
  ['sys_created_on', 'glide_date_time'],
  ['sys_created_by', 'string'],
  ['sys_updated_on', 'glide_date_time'],
  ['sys_updated_by', 'string'],
  ['sys_mod_count', 'integer'],
]);

const methodNotAllowed = (): Reply => errorReply(405, 'Method not Supported', 'Requested method is not supported by this resource');

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
