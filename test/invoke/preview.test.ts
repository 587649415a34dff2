// connection.preview(): the request the transport really sends, nothing sent. Checked against what the simulator
// received when the same call is then made for real, for a single call and for the first page of an all-pages read.
import { describe, expect, it } from 'vitest';
import type { RequestPreview } from '../../src/http/index.js';
import { ConnectorError } from '../../src/errors.js';
import { useSimulator } from './support.js';

const h = useSimulator();

/** The simulator's log entry of a request must match the preview: method, path, query, every header but the credential. */
function expectSentAsPreviewed(preview: RequestPreview, sent: ReturnType<typeof h.apiRequests>[number]): void {
  const url = new URL(preview.url);
  expect(url.origin).toBe(h.sim.url);
  expect(sent.method).toBe(preview.method);
  expect(sent.path).toBe(url.pathname);
  expect(sent.query).toEqual(Object.fromEntries(url.searchParams));
  for (const [name, value] of Object.entries(preview.headers)) {
    if (name !== 'authorization') expect(sent.headers[name], name).toBe(value);
  }
  expect(preview.headers.authorization).toBe('Basic ***');
}

describe('connection.preview', () => {
  it('shows exactly the single-page request that is then sent, and sends nothing itself', async () => {
    const params = { tableName: 'incident', sysparmQuery: 'active=true^priority=1', sysparmLimit: 2, sysparmFields: 'number,sys_id' };
    h.sim.clearRequests();
    const preview = h.conn.preview('getRecords', params);
    expect(h.apiRequests()).toEqual([]);
    expect(preview).toMatchObject({ operation: 'getRecords', method: 'GET', path: '/api/now/table/incident', body: null, idempotent: true });
    await h.conn.invoke('getRecords', params);
    expectSentAsPreviewed(preview, h.apiRequests()[0]!);
  });

  it('for all=true shows the first page the paging engine sends, not the single-page request', async () => {
    const params = { tableName: 'incident', all: true, pageSize: 3, sysparmQuery: 'active=true', sysparmFields: 'number' };
    for (const countTotal of [false, true]) {
      h.sim.clearRequests();
      const preview = h.conn.preview('getRecords', params, { countTotal });
      expect(h.apiRequests()).toEqual([]);
      // The keyset order term and the page size are the engine's, and differ from what the parameters alone render.
      const single = h.conn.preview('getRecords', { ...params, all: undefined });
      expect(preview.url).not.toBe(single.url);
      for await (const record of h.conn.stream('getRecords', params, { countTotal })) {
        expect(record).toHaveProperty('number');
        break;
      }
      expectSentAsPreviewed(preview, h.apiRequests()[0]!);
    }
  });

  it('shows a body as JSON and refuses invalid input like invoke does', () => {
    const preview = h.conn.preview('postRecord', { tableName: 'incident', payload: { short_description: 'x' } });
    expect(preview).toMatchObject({ method: 'POST', body: { short_description: 'x' }, idempotent: false });
    expect(preview.headers['content-type']).toBe('application/json');
    expect(() => h.conn.preview('getRecords', { tableName: 'Bad Table' })).toThrow(ConnectorError);
  });
});

describe('a header value holding a line break', () => {
  it('is refused before sending as INVALID_PARAMETER naming the parameter, not OUTCOME_UNKNOWN', async () => {
    const incident = h.sim.db.list('incident')[0]!.sys_id!;
    // The contentType pattern allows whitespace before `;`, and \s matches CR LF.
    const params = { tableName: 'incident', tableSysId: incident, fileName: 'a.txt', contentType: 'text/plain\r\n;x=1', content: 'hello' };
    h.sim.clearRequests();
    const err = await h.conn.invoke('uploadAttachment', params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'contentType', operation: 'uploadAttachment' });
    expect((err as Error).message).toMatch(/U\+000D.*nothing was sent/);
    expect(() => h.conn.preview('uploadAttachment', params)).toThrow(/nothing was sent/);
    expect(h.apiRequests()).toEqual([]);
  });
});
