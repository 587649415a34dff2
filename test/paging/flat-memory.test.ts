// Flat memory in the all-pages modes that hand records out in another order than they arrive (ordered merge,
// parallel offset pages) or pace their requests (partitions=auto): the records read from page bodies and not yet
// handed out (progress.peakBuffered) stay at a few received chunks' worth, far below a page, however slowly the
// consumer takes them. Full incident records (~3 KB each), so a page spans many received chunks. The ordered and
// auto reads also run while rows are inserted and deleted: each row that exists throughout comes exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnector, type Connection } from '../../src/invoke/index.js';
import type { JsonRecord, RecordStream } from '../../src/paging/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const ROWS = 4000;
let sim: RunningSimulator;
let conn: Connection;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, generate: { incident: ROWS } });
  conn = (await loadConnector()).connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' });
});
afterAll(async () => {
  await conn?.close();
  await sim?.close();
});

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads the stream slowly (the event loop runs, so bodies keep arriving, between every 20 records) and, when
 * `churn`, deletes two rows and inserts one every 250 records. Returns what a reader needs to check the result.
 */
async function readSlowly(stream: RecordStream, churn: boolean): Promise<{ ids: string[]; before: Set<string>; deleted: Set<string>; inserted: Set<string> }> {
  const before = new Set(sim.db.list('incident').map((r) => r.sys_id!));
  const deleted = new Set<string>();
  const inserted = new Set<string>();
  const ids: string[] = [];
  for await (const r of stream as AsyncIterable<JsonRecord>) {
    ids.push(r['sys_id'] as string);
    if (ids.length % 20 === 0) await tick();
    if (churn && ids.length % 250 === 0) {
      const all = [...before].filter((id) => !deleted.has(id));
      for (const id of [all[(ids.length * 37) % all.length]!, all[(ids.length * 911) % all.length]!]) if (sim.db.delete('incident', id)) deleted.add(id);
      inserted.add(sim.db.insert('incident', { short_description: `inserted during read ${ids.length}` }).sys_id!);
    }
  }
  return { ids, before, deleted, inserted };
}

function expectEachRowOnce({ ids, before, deleted, inserted }: Awaited<ReturnType<typeof readSlowly>>): void {
  expect(new Set(ids).size).toBe(ids.length);
  const got = new Set(ids);
  for (const id of before) if (!deleted.has(id)) expect(got.has(id)).toBe(true);
  for (const id of ids) expect(before.has(id) || inserted.has(id)).toBe(true);
  // Put the table back for the next read.
  for (const id of deleted) sim.db.insert('incident', { sys_id: id, short_description: 'restored' });
  for (const id of inserted) sim.db.delete('incident', id);
}

describe('flat memory while records wait for the consumer', () => {
  it('partitions=auto streams its pages: a few chunks buffered, not the 16 ranges\' pages', async () => {
    const stream = conn.stream('getRecords', { tableName: 'incident', partitions: 'auto', pageSize: 1000 });
    const read = await readSlowly(stream, true);
    expectEachRowOnce(read);
    // 16 ranges of ~250 rows: a range's page read whole would be 250 records at once; streamed, a chunk's worth.
    expect(stream.progress.peakBuffered).toBeLessThan(250);
  });

  it('ordered=true merges streamed ranges in key order, each reading ahead one batch', async () => {
    const stream = conn.stream('getRecords', { tableName: 'incident', partitions: 4, ordered: true, pageSize: 1000 });
    const read = await readSlowly(stream, true);
    expect(read.ids).toEqual([...read.ids].sort());
    expectEachRowOnce(read);
    // Each of the 4 ranges: one chunk's records (a few dozen); a page read whole would be 1000.
    expect(stream.progress.peakBuffered).toBeLessThan(250);
  });

  it('parallel offset pages stream in page order, the pages behind reading ahead one batch each', async () => {
    const stream = conn.stream('getRecords', { tableName: 'incident', pagingStrategy: 'offset', parallelRanges: 4, pageSize: 1000, sysparmQuery: 'ORDERBYsys_id' });
    const read = await readSlowly(stream, false);
    expect(read.ids).toEqual(sim.db.list('incident', 'ORDERBYsys_id').map((r) => r.sys_id!));
    // The 3 pages behind the one handed out: one chunk's records each (a few dozen); read whole, 1000 each.
    expect(stream.progress.peakBuffered).toBeLessThan(250);
  });
});
