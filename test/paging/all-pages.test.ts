// All-pages reads of getRecords through the real runtime against the simulator over HTTP: every strategy reads
// every row exactly once, also when rows change during the read, when ACLs leave short or empty pages, and when
// page bodies are cut off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnector, type Connection, type Connector } from '../../src/invoke/index.js';
import type { JsonRecord, RecordStream } from '../../src/paging/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { stableFraction } from '../../src/simulator/rng.js';

const ROWS = 3000;
let sim: RunningSimulator;
let connector: Connector;
let admin: Connection;
let itil: Connection;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, generate: { incident: ROWS } });
  connector = await loadConnector();
  admin = connector.connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' });
  itil = connector.connect({ serviceNowInstanceURL: sim.url, username: 'itil', password: 'itil' });
});
afterAll(async () => {
  await admin?.close();
  await itil?.close();
  await sim?.close();
});

async function collect(stream: RecordStream | AsyncIterable<JsonRecord>): Promise<JsonRecord[]> {
  const out: JsonRecord[] = [];
  for await (const r of stream) out.push(r);
  return out;
}

const ids = (records: JsonRecord[]) => records.map((r) => r['sys_id'] as string);
const allIds = (query?: string) => sim.db.list('incident', query).map((r) => r.sys_id!);

function expectExactly(records: JsonRecord[], expected: string[]): void {
  const got = ids(records);
  expect(new Set(got).size).toBe(got.length);
  expect([...got].sort()).toEqual([...expected].sort());
}

describe('all-pages reads', () => {
  it('keyset (the default) reads every row once, ordered by sys_id, counting only on the first and the last page, without offsets', async () => {
    sim.clearRequests();
    const stream = admin.stream('getRecords', { tableName: 'incident', pageSize: 400, sysparmFields: 'sys_id,number' });
    const records = await collect(stream);
    expectExactly(records, allIds());
    expect(ids(records)).toEqual([...ids(records)].sort());
    // The progress total is the first page's count, not the last page's count of the rows after its cursor.
    expect(stream.progress.totalCount).toBe(records.length);
    const pages = sim.requests().filter((r) => r.path === '/api/now/table/incident');
    // The first page's count says which page holds the rest; that page asks for the count again and, holding as
    // many rows as it counts, ends the read: no empty page after it. The pages between count nothing.
    expect(records.length % 400).not.toBe(0);
    expect(pages.length).toBe(Math.ceil(records.length / 400));
    expect(pages[0]!.query).toMatchObject({ sysparm_query: 'ORDERBYsys_id', sysparm_limit: '400' });
    expect(pages[0]!.query).not.toHaveProperty('sysparm_no_count');
    expect(pages.at(-1)!.query).not.toHaveProperty('sysparm_no_count');
    expect(pages.slice(1, -1).every((p) => p.query['sysparm_no_count'] === 'true')).toBe(true);
    expect(pages[1]!.query).toMatchObject({ sysparm_query: `sys_id>${records[399]!['sys_id']}^ORDERBYsys_id`, sysparm_no_count: 'true' });
    expect(pages.some((p) => 'sysparm_offset' in p.query)).toBe(false);
  });

  it('goes on past the page the first count called the last when rows were added meanwhile', async () => {
    const before = allIds().length;
    const added = Array.from({ length: 400 }, (_, i) => 'f'.repeat(28) + i.toString(16).padStart(4, '0'));
    const records: JsonRecord[] = [];
    try {
      for await (const r of admin.stream('getRecords', { tableName: 'incident', pageSize: 400, sysparmFields: 'sys_id' }) as AsyncIterable<JsonRecord>) {
        records.push(r);
        // After the first page (whose count planned the read), 400 rows appear that sort last: the page the count
        // said would hold the rest comes back full, so the read must not end there.
        if (records.length === 400) for (const id of added) sim.db.insert('incident', { sys_id: id, short_description: 'added during the read' });
      }
      expect(records.length).toBe(before + 400);
      expectExactly(records, allIds());
    } finally {
      for (const id of added) sim.db.delete('incident', id);
    }
  });

  it('keeps the user query in every OR group of the keyset condition', async () => {
    const query = 'priority=1^NQpriority=2^active=true^ORDERBYDESCnumber';
    const records = await collect(admin.stream('getRecords', { tableName: 'incident', sysparmQuery: query, pageSize: 97 }));
    expectExactly(records, allIds('priority=1^NQpriority=2^active=true'));
  });

  it('link and offset strategies read every row once too', async () => {
    const link = await collect(admin.stream('getRecords', { tableName: 'incident', pagingStrategy: 'link', pageSize: 700 }));
    const offset = await collect(admin.stream('getRecords', { tableName: 'incident', pagingStrategy: 'offset', pageSize: 700 }));
    expectExactly(link, allIds());
    expect(ids(offset)).toEqual(ids(link));
  });

  it('prefetch and parallel offset ranges give the same records in the same order', async () => {
    const base = { tableName: 'incident', sysparmQuery: 'ORDERBYnumber', pageSize: 300 };
    const plain = ids(await collect(admin.stream('getRecords', { ...base, pagingStrategy: 'offset' })));
    const prefetched = ids(await collect(admin.stream('getRecords', { ...base, pagingStrategy: 'offset', prefetch: true })));
    const parallel = ids(await collect(admin.stream('getRecords', { ...base, pagingStrategy: 'offset', parallelRanges: 4 })));
    const keysetPrefetched = await collect(admin.stream('getRecords', { tableName: 'incident', pageSize: 300, prefetch: true }));
    expect(prefetched).toEqual(plain);
    expect(parallel).toEqual(plain);
    expectExactly(keysetPrefetched, allIds());
  });

  it('stops at maxRecords, and when the consumer stops', async () => {
    const capped = await collect(admin.stream('getRecords', { tableName: 'incident', pageSize: 100, maxRecords: 250 }));
    expect(capped).toHaveLength(250);
    const stream = admin.stream('getRecords', { tableName: 'incident', pageSize: 100 });
    let n = 0;
    for await (const _ of stream) if (++n === 150) break;
    expect(n).toBe(150);
    expect(stream.progress.pages).toBeLessThanOrEqual(2);
  });

  it('pages() hands out whole pages', async () => {
    const sizes: number[] = [];
    for await (const page of admin.stream('getRecords', { tableName: 'incident', pageSize: 1000, maxRecords: 2500 }).pages()) sizes.push(page.records.length);
    expect(sizes).toEqual([1000, 1000, 500]);
  });

  it('invoke with all=true collects every page into the payload', async () => {
    const res = await admin.invoke('getRecords', { tableName: 'incident', all: 'true', pageSize: '900', sysparmFields: 'sys_id' });
    expectExactly((res.payload as { result: JsonRecord[] }).result, allIds());
  });

  it('rejects a strategy combination that cannot work, naming the parameter', () => {
    expect(() => admin.stream('getRecords', { tableName: 'incident', pagingStrategy: 'link', parallelRanges: 2 })).toThrow(/getRecords: 'parallelRanges'.*offset/);
    expect(() => admin.stream('getRecords', { tableName: 'incident', pagingStrategy: 'link', since: '2020-01-01 00:00:00' })).toThrow(/getRecords: 'since'.*keyset/);
    expect(() => admin.stream('getRecords', { tableName: 'incident', pageSize: 0 })).toThrow(/pageSize/);
    expect(() => admin.stream('getRecordById', { tableName: 'incident', sysId: 'a'.repeat(32) })).toThrow(/does not declare paging/);
  });
});

describe('all-pages reads while the table changes', () => {
  it('keyset reads every row that exists throughout exactly once while rows are inserted and deleted', async () => {
    const before = new Set(allIds());
    const deleted = new Set<string>();
    const inserted: string[] = [];
    const stream = admin.stream('getRecords', { tableName: 'incident', pageSize: 250, sysparmFields: 'sys_id' });
    const records: JsonRecord[] = [];
    let lastPages = 0;
    for await (const r of stream) {
      records.push(r);
      if (stream.progress.pages !== lastPages) {
        lastPages = stream.progress.pages;
        // Between pages another client deletes some rows (read or not) and inserts new ones.
        const all = [...before].filter((id) => !deleted.has(id));
        for (const id of [all[lastPages * 37 % all.length]!, all[(lastPages * 911) % all.length]!]) {
          if (sim.db.delete('incident', id)) deleted.add(id);
        }
        inserted.push(sim.db.insert('incident', { short_description: `inserted during read ${lastPages}` }).sys_id!);
      }
    }
    const got = ids(records);
    expect(new Set(got).size).toBe(got.length);
    const gotSet = new Set(got);
    for (const id of before) if (!deleted.has(id)) expect(gotSet.has(id)).toBe(true);
    for (const id of got) expect(before.has(id) || inserted.includes(id)).toBe(true);
    for (const id of deleted) sim.db.insert('incident', { sys_id: id, short_description: 'restored' });
    for (const id of inserted) sim.db.delete('incident', id);
  });
});

describe('all-pages reads with row ACLs (short and empty pages)', () => {
  it('does not stop at short pages, nor at pages whose rows are all hidden', async () => {
    sim.configure({ aclHideRate: 0.6 });
    try {
      // A fifth of the table (priority=1): ~150 pages of 4 per strategy, enough short and empty ones.
      const visible = allIds('priority=1').filter((id) => stableFraction(id, 7) >= 0.6);
      for (const strategy of ['keyset', 'link', 'offset']) {
        const records = await collect(itil.stream('getRecords', { tableName: 'incident', sysparmQuery: 'priority=1', pagingStrategy: strategy, pageSize: 4, sysparmFields: 'sys_id' }));
        expectExactly(records, visible);
      }
    } finally {
      sim.configure({ aclHideRate: 0.25 });
    }
  });
});

describe('all-pages reads with broken page bodies', () => {
  it('re-reads a page whose body was cut or cancelled, without losing or repeating records', async () => {
    const faults = ['none', 'truncatedBody', 'none', 'cancelledTransaction', 'none', 'none', 'truncatedBody'] as const;
    for (const strategy of ['keyset', 'link', 'offset']) {
      sim.configure({ nextFaults: [...faults] });
      sim.clearRequests();
      const records = await collect(admin.stream('getRecords', { tableName: 'incident', pagingStrategy: strategy, pageSize: 600 }));
      expectExactly(records, allIds());
      expect(sim.requests().filter((r) => r.fault !== undefined).length).toBe(3);
    }
  });
});

describe('prefetched and parallel reads with broken page bodies', () => {
  it('re-reads whole pages read ahead, in order, without losing or repeating records', async () => {
    const base = { tableName: 'incident', sysparmQuery: 'ORDERBYnumber', pageSize: 500 };
    const expected = ids(await collect(admin.stream('getRecords', { ...base, pagingStrategy: 'offset' })));
    for (const extra of [{ pagingStrategy: 'offset', prefetch: true }, { pagingStrategy: 'offset', parallelRanges: 3 }, { pagingStrategy: 'link', prefetch: true }]) {
      sim.configure({ nextFaults: ['none', 'truncatedBody', 'cancelledTransaction', 'none', 'truncatedBody'] });
      sim.clearRequests();
      const got = ids(await collect(admin.stream('getRecords', { ...base, ...extra })));
      expect(got).toEqual(expected);
      expect(sim.requests().filter((r) => r.fault !== undefined).length).toBe(3);
    }
  });
});

describe('incremental reads (since)', () => {
  it('returns a watermark that a later read continues from', async () => {
    const first = admin.stream('getRecords', { tableName: 'incident', since: '2000-01-01 00:00:00', pageSize: 500, sysparmFields: 'sys_id,sys_updated_on' });
    const all = await collect(first);
    expectExactly(all, allIds());
    const keys = all.map((r) => `${r['sys_updated_on']},${r['sys_id']}`);
    expect(keys).toEqual([...keys].sort());
    const mark = first.watermark()!;
    expect(mark).toBe(keys[keys.length - 1]);

    const nothing = admin.stream('getRecords', { tableName: 'incident', since: mark });
    expect(await collect(nothing)).toEqual([]);
    expect(nothing.watermark()).toBe(mark);

    const changed = all[10]!['sys_id'] as string;
    await new Promise((r) => setTimeout(r, 1100));
    sim.db.update('incident', changed, { short_description: 'changed after the first read' });
    const next = admin.stream('getRecords', { tableName: 'incident', since: mark, sysparmFields: 'sys_id,short_description' });
    const delta = await collect(next);
    expect(ids(delta)).toEqual([changed]);
    expect(next.watermark()).not.toBe(mark);
  });
});
