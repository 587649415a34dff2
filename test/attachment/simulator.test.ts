// The simulator's Attachment and Batch APIs over HTTP with node's fetch (no runtime code involved).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { ADMIN } from '../simulator/http.js';

let sim: RunningSimulator;
let incident: string;
/** Every byte value, twice: anything that decodes or re-encodes text would change it. */
const BYTES = Buffer.from([...Array(512).keys()].map((i) => i % 256));

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  incident = sim.db.list('incident')[0]!.sys_id!;
});
afterAll(() => sim.close());

async function upload(query: string, body: Buffer, contentType = 'application/octet-stream'): Promise<Response> {
  return fetch(`${sim.url}/api/now/attachment/file?${query}`, { method: 'POST', headers: { Authorization: ADMIN, 'Content-Type': contentType, Accept: 'application/json' }, body });
}

describe('Attachment API', () => {
  it('stores an upload byte for byte, serves its metadata, its content, a list, and deletes it', async () => {
    const res = await upload(`table_name=incident&table_sys_id=${incident}&file_name=${encodeURIComponent('scan 1.bin')}`, BYTES);
    expect(res.status).toBe(201);
    const meta = ((await res.json()) as { result: Record<string, string> }).result;
    expect(meta).toMatchObject({ file_name: 'scan 1.bin', content_type: 'application/octet-stream', size_bytes: '512', table_name: 'incident', table_sys_id: incident });
    expect(meta.hash).toBe(createHash('sha256').update(BYTES).digest('hex'));
    expect(res.headers.get('location')).toBe(`${sim.url}/api/now/attachment/${meta.sys_id}`);

    const again = await fetch(`${sim.url}/api/now/attachment/${meta.sys_id}`, { headers: { Authorization: ADMIN } });
    expect(((await again.json()) as { result: Record<string, string> }).result.download_link).toBe(`${sim.url}/api/now/attachment/${meta.sys_id}/file`);

    const file = await fetch(`${sim.url}/api/now/attachment/${meta.sys_id}/file`, { headers: { Authorization: ADMIN } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await file.arrayBuffer()).equals(BYTES)).toBe(true);

    const list = await fetch(`${sim.url}/api/now/attachment?sysparm_query=${encodeURIComponent(`table_sys_id=${incident}`)}`, { headers: { Authorization: ADMIN } });
    expect(((await list.json()) as { result: unknown[] }).result).toHaveLength(1);

    expect((await fetch(`${sim.url}/api/now/attachment/${meta.sys_id}`, { method: 'DELETE', headers: { Authorization: ADMIN } })).status).toBe(204);
    expect((await fetch(`${sim.url}/api/now/attachment/${meta.sys_id}/file`, { headers: { Authorization: ADMIN } })).status).toBe(404);
  });

  it('refuses an upload to a record that does not exist, without a file name, or unauthenticated', async () => {
    expect((await upload(`table_name=incident&table_sys_id=${'0'.repeat(32)}&file_name=a.txt`, BYTES)).status).toBe(400);
    expect((await upload(`table_name=incident&table_sys_id=${incident}`, BYTES)).status).toBe(400);
    expect((await upload(`table_name=no_table&table_sys_id=${incident}&file_name=a`, BYTES)).status).toBe(400);
    const anonymous = await fetch(`${sim.url}/api/now/attachment/file?table_name=incident&table_sys_id=${incident}&file_name=a`, { method: 'POST', body: BYTES });
    expect(anonymous.status).toBe(401);
  });
});

describe('Batch API', () => {
  it('runs each request through the REST handlers and answers with base64 bodies', async () => {
    const create = Buffer.from(JSON.stringify({ short_description: 'Created in a batch' })).toString('base64');
    const res = await fetch(`${sim.url}/api/now/v1/batch`, {
      method: 'POST',
      headers: { Authorization: ADMIN, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        batch_request_id: 'b1',
        rest_requests: [
          { id: 'r1', method: 'GET', url: `/api/now/table/incident/${incident}?sysparm_fields=sys_id`, headers: [{ name: 'Accept', value: 'application/json' }] },
          { id: 'r2', method: 'POST', url: '/api/now/table/incident', headers: [{ name: 'Content-Type', value: 'application/json' }], body: create },
          { id: 'r3', method: 'GET', url: '/api/now/table/no_such_table', headers: [] },
          { id: 'r4', method: 'GET', url: '/oauth_token.do', headers: [] },
          { method: 'GET' },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { batch_request_id: string; serviced_requests: Array<{ id: string; status_code: number; body: string }>; unserviced_requests: string[] };
    expect(answer.batch_request_id).toBe('b1');
    const byId = Object.fromEntries(answer.serviced_requests.map((r) => [r.id, r]));
    const decode = (id: string) => JSON.parse(Buffer.from(byId[id]!.body, 'base64').toString('utf8')) as { result: Record<string, string> };
    expect(byId['r1']!.status_code).toBe(200);
    expect(decode('r1').result.sys_id).toBe(incident);
    expect(byId['r2']!.status_code).toBe(201);
    const created = decode('r2').result;
    expect(sim.db.get('incident', created.sys_id!)!.short_description).toBe('Created in a batch');
    expect(byId['r3']!.status_code).toBe(400);
    expect(byId['r4']!.status_code).toBe(400);
    expect(answer.unserviced_requests).toEqual(['']);
  });
});
