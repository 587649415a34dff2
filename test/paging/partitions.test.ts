// Partitioned keyset reads (partitions=N): the key ranges cover every key exactly once, and getRecords reads every
// row once through the real runtime against the simulator over HTTP, in key order when ordered=true, with the
// user's query and since, and while rows are inserted and deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnector, type Connection, type Connector } from '../../src/invoke/index.js';
import type { JsonRecord, RecordStream } from '../../src/paging/index.js';
import { keyRanges } from '../../src/paging/key-range.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const HEX = { digits: '0123456789abcdef', length: 32 };
const inRange = (key: string, r: { from?: string; to?: string }) => (r.from === undefined || key >= r.from) && (r.to === undefined || key < r.to);

describe('key ranges', () => {
  it('cut the key space at i/N and cover any text exactly once, hex or not', () => {
    expect(keyRanges(HEX, 4)).toEqual([
      { to: '4'.padEnd(32, '0') },
      { from: '4'.padEnd(32, '0'), to: '8'.padEnd(32, '0') },
      { from: '8'.padEnd(32, '0'), to: 'c'.padEnd(32, '0') },
      { from: 'c'.padEnd(32, '0') },
    ]);
    expect(keyRanges(HEX, 1)).toEqual([{}]);
    // A tiny key space caps the count so that the bounds stay distinct.
    expect(keyRanges({ digits: '01', length: 2 }, 9).map((r) => r.from)).toEqual([undefined, '01', '10', '11']);
    const keys = ['', '0', '0'.repeat(32), 'f'.repeat(32), 'f'.repeat(33), 'g', 'zzz', 'ABC', 'INC0010001', '-1', '3fffffffffffffffffffffffffffffff', '4'.padEnd(32, '0'), '4', '40', '~', 'ü'];
    for (const n of [2, 3, 4, 7, 16, 64]) {
      const ranges = keyRanges(HEX, n);
      expect(ranges.length).toBe(n);
      for (const key of keys) expect(ranges.filter((r) => inRange(key, r)).length, `${key} with ${n} ranges`).toBe(1);
    }
  });
});

const ROWS = 200;
// sys_ids on and next to the bounds of 4 and 7 ranges, and the ends of the key space.
const EDGES = [
  '0'.repeat(32),
  'f'.repeat(32),
  '3'.padEnd(32, 'f'),
  '4'.padEnd(32, '0'),
  '4'.padEnd(31, '0') + '1',
  '7'.padEnd(32, 'f'),
  '8'.padEnd(32, '0'),
  ...keyRanges(HEX, 7).flatMap((r) => (r.from ? [r.from] : [])),
];
let sim: RunningSimulator;
let connector: Connector;
let admin: Connection;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, generate: { incident: ROWS } });
  for (const id of EDGES) sim.db.insert('incident', { sys_id: id, short_description: `edge ${id}` });
  connector = await loadConnector();
  admin = connector.connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' });
});
afterAll(async () => {
  await admin?.close();
  await sim?.close();
});

async function collect(stream: RecordStream): Promise<JsonRecord[]> {
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

describe('partitioned keyset reads', () => {
  it('read every row once with 4 and 7 ranges, the boundary sys_ids included, each range with its own keyset requests', async () => {
    for (const partitions of [4, 7]) {
      sim.clearRequests();
      const records = await collect(admin.stream('getRecords', { tableName: 'incident', partitions, pageSize: 40, sysparmFields: 'sys_id,number' }));
      expectExactly(records, allIds());
      for (const id of EDGES) expect(ids(records)).toContain(id);
      const queries = sim.requests().filter((r) => r.path === '/api/now/table/incident').map((r) => String(r.query['sysparm_query']));
      // Every range starts with its own first page, bounded by the declared key field.
      const firsts = queries.filter((q) => !/sys_id>[0-9a-f]{32}\^/.test(q.replace(/sys_id>=[0-9a-f]{32}/, '')));
      expect(firsts.length).toBeGreaterThanOrEqual(partitions);
      expect(queries).toContain(`sys_id<${keyRanges(HEX, partitions)[0]!.to}^ORDERBYsys_id`);
      expect(records.every((r) => Object.keys(r).sort().join() === 'number,sys_id')).toBe(true);
      // Staggered first pages: range i of N asks for (i+1)/N of a page first, every later page for a whole one.
      const pages = sim.requests().filter((r) => r.path === '/api/now/table/incident' && r.query['sysparm_limit'] !== '1');
      const firstLimits = keyRanges(HEX, partitions).map((range) => {
        const terms = [range.from ? `sys_id>=${range.from}` : '', range.to ? `sys_id<${range.to}` : ''].filter(Boolean).join('^');
        return pages.find((r) => String(r.query['sysparm_query']) === `${terms}^ORDERBYsys_id`)?.query['sysparm_limit'];
      });
      expect(firstLimits).toEqual(keyRanges(HEX, partitions).map((_, i) => String(Math.ceil((40 * (i + 1)) / partitions))));
      expect(pages.filter((r) => /sys_id>[0-9a-f]{32}\^/.test(String(r.query['sysparm_query']).replace(/sys_id>=[0-9a-f]{32}/, ''))).every((r) => r.query['sysparm_limit'] === '40')).toBe(true);
    }
  });

  it('ordered=true merges the ranges into sys_id order; the user query is kept in every OR group', async () => {
    const ordered = ids(await collect(admin.stream('getRecords', { tableName: 'incident', partitions: 5, ordered: true, pageSize: 30, sysparmFields: 'sys_id' })));
    expect(ordered).toEqual([...allIds()].sort());
    const query = 'priority=1^NQactive=false^ORDERBYDESCnumber';
    const filtered = await collect(admin.stream('getRecords', { tableName: 'incident', partitions: 3, sysparmQuery: query, pageSize: 20 }));
    expectExactly(filtered, allIds('priority=1^NQactive=false'));
  });

  it('since with partitions: every updated row once, merged in (sys_updated_on, sys_id) order, and a watermark that misses nothing', async () => {
    const stream = admin.stream('getRecords', { tableName: 'incident', since: '2000-01-01 00:00:00', partitions: 4, ordered: true, pageSize: 29, sysparmFields: 'sys_id,sys_updated_on' });
    const records = await collect(stream);
    expectExactly(records, allIds());
    const marks = records.map((r) => `${r['sys_updated_on']},${r['sys_id']}`);
    expect(marks).toEqual([...marks].sort());
    // The smallest position reached among the ranges: each range's last record, the lowest of them.
    const lastPerRange = keyRanges(HEX, 4).map((range) => marks.filter((m) => inRange(m.slice(m.indexOf(',') + 1), range)).sort().pop()!);
    const mark = stream.watermark()!;
    expect(mark).toBe([...lastPerRange].sort()[0]);
    const again = await collect(admin.stream('getRecords', { tableName: 'incident', since: mark, partitions: 4, sysparmFields: 'sys_id' }));
    expectExactly(again, records.filter((_, i) => marks[i]! > mark).map((r) => r['sys_id'] as string));
  });

  it('reads every row that exists throughout exactly once while rows are inserted and deleted', async () => {
    const before = new Set(allIds());
    const deleted = new Set<string>();
    const inserted: string[] = [];
    const stream = admin.stream('getRecords', { tableName: 'incident', partitions: 4, pageSize: 20, sysparmFields: 'sys_id' });
    const records: JsonRecord[] = [];
    let lastPages = 0;
    for await (const r of stream) {
      records.push(r);
      if (stream.progress.pages !== lastPages) {
        lastPages = stream.progress.pages;
        const all = [...before].filter((id) => !deleted.has(id));
        for (const id of [all[(lastPages * 37) % all.length]!, all[(lastPages * 911) % all.length]!]) {
          if (sim.db.delete('incident', id)) deleted.add(id);
        }
        inserted.push(sim.db.insert('incident', { short_description: `inserted during read ${lastPages}` }).sys_id!);
      }
    }
    const got = ids(records);
    expect(new Set(got).size).toBe(got.length);
    const gotSet = new Set(got);
    expect(deleted.size).toBeGreaterThan(10);
    for (const id of before) if (!deleted.has(id)) expect(gotSet.has(id)).toBe(true);
    for (const id of got) expect(before.has(id) || inserted.includes(id)).toBe(true);
    for (const id of deleted) sim.db.insert('incident', { sys_id: id, short_description: 'restored' });
    for (const id of inserted) sim.db.delete('incident', id);
  });

  it('resumes a range whose page body was cut or cancelled, without losing or repeating records', async () => {
    sim.configure({ nextFaults: ['none', 'truncatedBody', 'none', 'cancelledTransaction', 'truncatedBody'] });
    sim.clearRequests();
    const records = await collect(admin.stream('getRecords', { tableName: 'incident', partitions: 4, pageSize: 40 }));
    expectExactly(records, allIds());
    expect(sim.requests().filter((r) => r.fault !== undefined).length).toBe(3);
  });

  it('streams each range: while the consumer holds a record, no range reads more than its first batch', async () => {
    const big = await startSimulator({ port: 0, seed: 5, generate: { incident: 4000 } });
    const conn = connector.connect({ serviceNowInstanceURL: big.url, username: 'admin', password: 'admin' });
    try {
      const stream = conn.stream('getRecords', { tableName: 'incident', partitions: 4, pageSize: 1000 });
      const it = stream[Symbol.asyncIterator]();
      expect((await it.next()).done).toBe(false);
      // Every range's first page (about 3 MB of full records each) has been answered by now or soon; give the
      // client time to read on if it would, then look at what it has taken in: a few chunks per range, not pages.
      for (let i = 0; i < 100 && big.requests().filter((r) => r.status === 200).length < 4; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500));
      const pageBytes = 3 * 1024 * 1024;
      expect(stream.progress.bytes).toBeLessThan(pageBytes);
      await it.return?.();
    } finally {
      await conn.close();
      await big.close();
    }
  });

  it('refuses partitions with another strategy or outside 1..64 before any request', async () => {
    sim.clearRequests();
    let refused: unknown;
    try {
      admin.stream('getRecords', { tableName: 'incident', partitions: 4, pagingStrategy: 'offset' });
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/getRecords: 'partitions' .*pagingStrategy=keyset \(got offset\)/) });
    await expect(admin.invoke('getRecords', { tableName: 'incident', all: true, partitions: 65 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringContaining('partitions') });
    // An ordered merge keeps a streamed response open per range: more ranges than connections would wait forever.
    const two = connector.connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin', maxConcurrency: 2 });
    try {
      expect(() => two.stream('getRecords', { tableName: 'incident', partitions: 3, ordered: true })).toThrow(/getRecords: 'ordered' keeps a connection open per range, and the connection has 2 \(maxConcurrency\): use at most 2 partitions \(got 3\)/);
      expect(sim.requests().length).toBe(0);
      const records = await collect(two.stream('getRecords', { tableName: 'incident', partitions: 2, ordered: true, pageSize: 30, sysparmFields: 'sys_id' }));
      expect(ids(records)).toEqual([...allIds()].sort());
    } finally {
      await two.close();
    }

  });
});
