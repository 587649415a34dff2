// The simulator's fast path for `since` pages (ORDERBY a date, then sys_id: src/simulator/api/ordered-scan.ts) answers
// exactly what the query says. The oracle is computed here from the table itself: every incident's sys_id and
// sys_updated_on, filtered and sorted in the test, for cursors across the table, ^NQ groups, sys_id ranges (a
// partitioned read's terms), offsets, the count, and after writes (the sorted order is kept per table version).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call } from './http.js';

interface Row {
  sys_id: string;
  sys_updated_on: string;
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 9, generate: { incident: 3000 } });
});
afterAll(() => sim.close());

async function allRows(): Promise<Row[]> {
  const r = await call(sim.url, '/api/now/table/incident?sysparm_fields=sys_id,sys_updated_on&sysparm_limit=100000');
  return r.json.result as Row[];
}

const byUpdatedThenId = (a: Row, b: Row) => (a.sys_updated_on < b.sys_updated_on ? -1 : a.sys_updated_on > b.sys_updated_on ? 1 : a.sys_id < b.sys_id ? -1 : a.sys_id > b.sys_id ? 1 : 0);

/** The rows after the cursor (time, id) in (sys_updated_on, sys_id) order, within [from, to) of sys_id when given. */
function expected(rows: Row[], time: string, id: string, range?: [string, string]): Row[] {
  return rows
    .filter((r) => r.sys_updated_on > time || (r.sys_updated_on === time && r.sys_id > id))
    .filter((r) => !range || (r.sys_id >= range[0] && r.sys_id < range[1]))
    .sort(byUpdatedThenId);
}

/** The query a keyset `since` read sends for the page after (time, id), with the range terms in each group. */
function cursorQuery(time: string, id: string, range?: [string, string]): string {
  const terms = range ? `^sys_id>=${range[0]}^sys_id<${range[1]}` : '';
  return `sys_updated_on>${time}${terms}^NQsys_updated_on=${time}^sys_id>${id}${terms}^ORDERBYsys_updated_on^ORDERBYsys_id`;
}

async function page(query: string, limit: number, extra = ''): Promise<{ rows: Row[]; total: string | null }> {
  const r = await call(sim.url, `/api/now/table/incident?sysparm_fields=sys_id,sys_updated_on&sysparm_limit=${limit}&sysparm_query=${encodeURIComponent(query)}${extra}`);
  expect(r.status).toBe(200);
  return { rows: r.json.result as Row[], total: r.headers.get('x-total-count') };
}

describe('since pages (ORDERBY a date, then sys_id)', () => {
  it('returns the rows after each cursor in order, with the count, across the whole table', async () => {
    const rows = await allRows();
    const sorted = [...rows].sort(byUpdatedThenId);
    for (const at of [0, 1, 17, Math.floor(sorted.length / 2), sorted.length - 40, sorted.length - 1]) {
      const { sys_updated_on: time, sys_id: id } = sorted[at]!;
      const want = expected(rows, time, id);
      const got = await page(cursorQuery(time, id), 25);
      expect(got.rows).toEqual(want.slice(0, 25));
      expect(got.total).toBe(String(want.length));
    }
  });

  it('honours sys_id ranges in every group, offsets and sysparm_no_count', async () => {
    const rows = await allRows();
    const sorted = [...rows].sort(byUpdatedThenId);
    for (const range of [['40000000000000000000000000000000', '80000000000000000000000000000000'], ['c0000000000000000000000000000000', 'ffffffffffffffffffffffffffffffff']] as [string, string][]) {
      // The cursor's sys_id inside the range: the groups then bound sys_id differently (the cursor's from ID, the
      // other's from the range's start), and rows between the two belong to the page.
      const { sys_updated_on: time, sys_id: id } = sorted.find((r, i) => i >= 100 && r.sys_id > range[0] && r.sys_id < range[1])!;
      expect(rows.some((r) => r.sys_id >= range[0] && r.sys_id < id && r.sys_updated_on > time)).toBe(true);
      const want = expected(rows, time, id, range);
      expect(want.length).toBeGreaterThan(60);
      const first = await page(cursorQuery(time, id, range), 30);
      expect(first.rows).toEqual(want.slice(0, 30));
      expect(first.total).toBe(String(want.length));
      const second = await page(cursorQuery(time, id, range), 30, '&sysparm_offset=30&sysparm_no_count=true');
      expect(second.rows).toEqual(want.slice(30, 60));
      expect(second.total).toBeNull();
    }
  });

  it('takes the lowest bound of the groups: a time-only since (>=) and a later cursor together', async () => {
    const rows = await allRows();
    const sorted = [...rows].sort(byUpdatedThenId);
    const early = sorted[200]!.sys_updated_on;
    const late = sorted[2000]!;
    const query = `sys_updated_on>=${early}^sys_id<40000000000000000000000000000000^NQsys_updated_on=${late.sys_updated_on}^sys_id>${late.sys_id}^ORDERBYsys_updated_on^ORDERBYsys_id`;
    const want = rows
      .filter((r) => (r.sys_updated_on >= early && r.sys_id < '40000000000000000000000000000000') || (r.sys_updated_on === late.sys_updated_on && r.sys_id > late.sys_id))
      .sort(byUpdatedThenId);
    const got = await page(query, 1000);
    expect(got.rows).toEqual(want);
    expect(got.total).toBe(String(want.length));
  });

  it('sees rows updated after an earlier page: the sorted order follows every write', async () => {
    const before = (await allRows()).sort(byUpdatedThenId);
    const cursor = before[before.length - 10]!;
    // The first page of a read that is already near the end of the table.
    expect((await page(cursorQuery(cursor.sys_updated_on, cursor.sys_id), 100)).rows).toHaveLength(9);
    // Rows that sorted early are updated now, so they move after the cursor.
    const moved = before.slice(0, 5).map((r) => r.sys_id);
    for (const id of moved) expect((await call(sim.url, `/api/now/table/incident/${id}`, { method: 'PATCH', body: { short_description: 'touched' } })).status).toBe(200);
    const rows = await allRows();
    const want = expected(rows, cursor.sys_updated_on, cursor.sys_id);
    const got = await page(cursorQuery(cursor.sys_updated_on, cursor.sys_id), 100);
    expect(got.rows).toEqual(want);
    expect(got.rows.map((r) => r.sys_id)).toEqual(expect.arrayContaining(moved));
    expect(got.total).toBe(String(want.length));
  });
});
