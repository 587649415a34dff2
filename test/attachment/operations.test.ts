// Attachment and Batch API operations through the runtime: binary bodies streamed both ways, base64 batch bodies.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../src/errors.js';
import { useSimulator } from '../invoke/support.js';

const h = useSimulator();

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

type Meta = Record<string, string>;
const resultOf = (payload: unknown) => (payload as { result: Meta }).result;

describe('attachments', () => {
  it('uploads a Buffer with its content type, reads its metadata and downloads the same bytes as a stream', async () => {
    const incident = h.sim.db.list('incident')[0]!.sys_id!;
    const bytes = randomBytes(70_000);
    const up = await h.conn.invoke('uploadAttachment', { tableName: 'incident', tableSysId: incident, fileName: 'dump.bin', contentType: 'application/x-dump', content: bytes });
    expect(up.status).toBe(201);
    const meta = resultOf(up.payload);
    expect(meta).toMatchObject({ file_name: 'dump.bin', content_type: 'application/x-dump', size_bytes: '70000', table_sys_id: incident });
    expect(meta['hash']).toBe(createHash('sha256').update(bytes).digest('hex'));

    const read = await h.conn.invoke('getAttachmentMetadata', { sysId: meta['sys_id'] });
    expect(resultOf(read.payload)['file_name']).toBe('dump.bin');

    const down = await h.conn.invoke('downloadAttachment', { sysId: meta['sys_id'] });
    expect(down.status).toBe(200);
    expect(down.payload).toBeUndefined();
    expect(down.headers['content-type']).toBe('application/x-dump');
    expect((await readAll(down.body!)).equals(bytes)).toBe(true);
  });

  it('uploads from a stream without buffering it first, and lists and deletes by record', async () => {
    const problem = h.sim.db.list('problem')[0]!.sys_id!;
    const parts = [Buffer.from('line one\n'), Buffer.from([0, 255, 1, 254]), Buffer.from('\nend')];
    const up = await h.conn.invoke('uploadAttachment', { tableName: 'problem', tableSysId: problem, fileName: 'notes.txt', contentType: 'text/plain; charset=utf-8', content: Readable.from(parts) });
    const sysId = resultOf(up.payload)['sys_id']!;
    expect(resultOf(up.payload)['size_bytes']).toBe(String(Buffer.concat(parts).length));

    const list = await h.conn.invoke('listAttachments', { sysparmQuery: `table_name=problem^table_sys_id=${problem}` });
    expect((list.payload as { result: Meta[] }).result.map((m) => m['sys_id'])).toEqual([sysId]);

    expect((await h.conn.invoke('deleteAttachment', { sysId })).status).toBe(204);
    const err = await h.conn.invoke('downloadAttachment', { sysId }).catch((e: unknown) => e);
    expect(isConnectorError(err) && err.code).toBe('NOT_FOUND');
  });

  it('refuses a content that is not bytes, before sending', async () => {
    h.sim.clearRequests();
    const incident = h.sim.db.list('incident')[0]!.sys_id!;
    const err = await h.conn.invoke('uploadAttachment', { tableName: 'incident', tableSysId: incident, fileName: 'a', contentType: 'text/plain', content: { not: 'bytes' } }).catch((e: unknown) => e);
    expect(isConnectorError(err) && err.code).toBe('INVALID_PARAMETER');
    expect((err as Error).message).toContain("parameter 'content' must be bytes");
    expect(h.apiRequests()).toHaveLength(0);
  });

  it("ServiceNow's refusal of an upload keeps its message", async () => {
    const err = await h.conn.invoke('uploadAttachment', { tableName: 'incident', tableSysId: '0'.repeat(32), fileName: 'a', contentType: 'text/plain', content: 'x' }).catch((e: unknown) => e);
    expect(isConnectorError(err) && err.code).toBe('SERVICENOW_ERROR');
    expect((err as Error).message).toContain('Failed to create the attachment');
  });
});

describe('batch', () => {
  it('sends several requests in one call; bodies are base64-encoded by the template', async () => {
    const incident = h.sim.db.list('incident')[0]!;
    h.sim.clearRequests();
    const { payload } = await h.conn.invoke('postBatch', {
      batchRequestId: 'sync-1',
      requests: [
        { id: 'read', method: 'GET', url: `/api/now/table/incident/${incident.sys_id}?sysparm_fields=number` },
        { id: 'create', method: 'POST', url: '/api/now/table/incident', body: { short_description: 'From a "batch" {x}' } },
      ],
    });
    expect(h.apiRequests().map((r) => r.path)).toEqual(['/api/now/v1/batch']);
    const answer = payload as { batch_request_id: string; serviced_requests: Array<{ id: string; status_code: number; body: string }> };
    expect(answer.batch_request_id).toBe('sync-1');
    const decoded = Object.fromEntries(answer.serviced_requests.map((r) => [r.id, { status: r.status_code, body: JSON.parse(Buffer.from(r.body, 'base64').toString('utf8')) as { result: Meta } }]));
    expect(decoded['read']).toEqual({ status: 200, body: { result: { number: incident.number } } });
    expect(decoded['create']!.status).toBe(201);
    expect(h.sim.db.get('incident', decoded['create']!.body.result['sys_id']!)!.short_description).toBe('From a "batch" {x}');
  });
});

describe('downloads inside a sequence (with a MessageContext)', () => {
  it('the content becomes a base64 JSON payload instead of an unread stream', async () => {
    const { MessageContext } = await import('../../src/context/index.js');
    const incident = h.sim.db.list('incident')[0]!.sys_id!;
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const up = await h.conn.invoke('uploadAttachment', { tableName: 'incident', tableSysId: incident, fileName: 'b.bin', contentType: 'application/x-b', content: bytes });
    const context = new MessageContext();
    const res = await h.conn.invoke('downloadAttachment', { sysId: resultOf(up.payload)['sys_id'] }, { context });
    expect(res.body).toBeUndefined();
    expect(context.payload).toEqual({ result: { content_type: 'application/x-b', size_bytes: '6', content_base64: bytes.toString('base64') } });
  });
});
