// All-pages reads and single calls against a server that misbehaves (test/paging/support/hostile-server.ts): the
// read ends with a typed error instead of looping, handing out duplicates, crashing or downloading without end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import { loadConnector, type Connection, type Connector } from '../../src/invoke/index.js';
import { startHostileServer, type HostileServer } from './support/hostile-server.js';

let server: HostileServer;
let connector: Connector;
const opened: Connection[] = [];

beforeAll(async () => {
  server = await startHostileServer('ignore-position');
  connector = await loadConnector();
});
afterAll(async () => {
  for (const c of opened) await c.close();
  await server?.close();
});

function connect(extra: Record<string, unknown> = {}): Connection {
  const c = connector.connect({ serviceNowInstanceURL: server.url, username: 'admin', password: 'admin', maxRetries: 0, ...extra });
  opened.push(c);
  return c;
}

/** Reads every record it can; returns them with the error that ended the read, if any. */
async function readAll(conn: Connection, params: Record<string, unknown>): Promise<{ ids: string[]; error: unknown }> {
  const ids: string[] = [];
  try {
    for await (const r of conn.stream('getRecords', { tableName: 'incident', ...params })) ids.push(r['sys_id'] as string);
    return { ids, error: undefined };
  } catch (error) {
    return { ids, error };
  }
}

describe('a page that does not move the read forward', () => {
  for (const strategy of ['keyset', 'offset', 'link'] as const) {
    it(`ends a ${strategy} read whose server ignores the position, handing out each record once`, async () => {
      server.mode = 'ignore-position';
      server.rows = 10;
      server.requests.length = 0;
      const { ids, error } = await readAll(connect(), { pagingStrategy: strategy, pageSize: 4 });
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: 'SERVICENOW_ERROR', operation: 'getRecords' });
      expect((error as Error).message).toContain(`the ${strategy} paging made no progress`);
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
      expect(server.requests).toHaveLength(2);
    });
  }

  it('ends a link read whose rel="next" is the page just read, before asking for it again', async () => {
    server.mode = 'same-next-link';
    server.requests.length = 0;
    const { ids, error } = await readAll(connect(), { pagingStrategy: 'link', pageSize: 4 });
    expect(error).toMatchObject({ code: 'SERVICENOW_ERROR', message: expect.stringMatching(/link paging made no progress: .*leads back to a page already read/) });
    expect(ids).toHaveLength(4);
    expect(server.requests).toHaveLength(1);
  });
});

describe('next links', () => {
  it('follows a relative rel="next" (query only, or path and query) against the request URL', async () => {
    server.mode = 'relative-next-link';
    server.rows = 10;
    server.requests.length = 0;
    const { ids, error } = await readAll(connect(), { pagingStrategy: 'link', pageSize: 3 });
    expect(error).toBeUndefined();
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => i.toString(16).padStart(32, '0')));
    expect(server.requests.map((r) => r.url.searchParams.get('sysparm_offset'))).toEqual([null, '3', '6', '9']);
    expect(server.requests.every((r) => r.url.pathname === '/api/now/table/incident')).toBe(true);
  });

  it('reports a next link that is not a URL as a typed error, not a TypeError', async () => {
    server.mode = 'broken-next-link';
    const { ids, error } = await readAll(connect(), { pagingStrategy: 'link', pageSize: 4 });
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'SERVICENOW_ERROR', message: expect.stringContaining('the next-page link is not a URL') });
    expect(ids).toHaveLength(4);
  });
});

describe('the deadline', () => {
  it('ends an all-pages read whose page body trickles', async () => {
    server.mode = 'trickle';
    server.requests.length = 0;
    const { ids, error } = await readAll(connect({ deadline: 600 }), { pageSize: 10 });
    expect(error).toMatchObject({ code: 'TIMEOUT', operation: 'getRecords', message: expect.stringContaining('page 1 did not arrive within the operation\'s deadline of 600 ms') });
    expect(ids.length).toBeLessThan(10);
    expect(server.requests).toHaveLength(1);
  });

  it('ends a read whose page body stops arriving, long before the body timeout', async () => {
    server.mode = 'stall';
    server.requests.length = 0;
    const { error } = await readAll(connect({ deadline: 600, bodyTimeout: 60_000 }), { pageSize: 10 });
    expect(error).toMatchObject({ code: 'TIMEOUT', operation: 'getRecords', message: expect.stringContaining('page 1 did not arrive within the operation\'s deadline of 600 ms') });
    expect(server.requests).toHaveLength(1);
  });
});

describe('maxResponseBytes', () => {
  for (const mode of ['huge-declared', 'huge-chunked'] as const) {
    it(`refuses a body over the cap (${mode === 'huge-declared' ? 'Content-Length' : 'chunked'}), typed and without a retry`, async () => {
      server.mode = mode;
      server.rows = 10;
      server.hugeBytes = 200_000;
      server.requests.length = 0;
      const err = await connect({ maxResponseBytes: 100_000, maxRetries: 3 })
        .invoke('getRecords', { tableName: 'incident', sysparmLimit: 5 })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SERVICENOW_ERROR', status: 200, retryable: false, message: expect.stringContaining('larger than maxResponseBytes (100000 bytes)') });
      expect(server.requests).toHaveLength(1);
      // Under the cap the same answer is read as usual.
      const ok = await connect({ maxResponseBytes: 300_000 }).invoke('getRecords', { tableName: 'incident', sysparmLimit: 5 });
      expect((ok.payload as { result: unknown[] }).result).toHaveLength(5);
    });
  }
});
