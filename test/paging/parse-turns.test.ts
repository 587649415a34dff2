// Partitioned reads parse the oldest page first (src/paging/parse-turns.ts): a range's page is parsed to its end
// before the next page's, so the range can ask for its following page at once, instead of every page of a round
// finishing together. Checked on the order the records come out in, through the real runtime and simulator.
import { describe, expect, it } from 'vitest';
import { keyRanges } from '../../src/paging/key-range.js';
import { ParseTurns } from '../../src/paging/parse-turns.js';
import { useSimulator } from '../invoke/support.js';

describe('parse turns', () => {
  it('go to the oldest waiting page, at once when nobody parses, and back to an older page at the next chunk', async () => {
    const turns = new ParseTurns();
    const [a, b, c] = [turns.ticket(), turns.ticket(), turns.ticket()];
    const order: number[] = [];
    await turns.take(b);
    order.push(b);
    const later = [turns.take(c).then(() => order.push(c)), turns.take(a).then(() => order.push(a))];
    // b holds the turn and a, older, waits: b's next chunk hands it over.
    const bAgain = turns.take(b).then(() => order.push(b));
    await Promise.resolve();
    expect(order).toEqual([b, a]);
    turns.release(a);
    await bAgain;
    turns.release(b);
    await Promise.all(later);
    expect(order).toEqual([b, a, b, c]);
    turns.release(c);
  });

  it('lend the turn while the holder waits long for bytes', async () => {
    const turns = new ParseTurns();
    const [a, b] = [turns.ticket(), turns.ticket()];
    await turns.take(a);
    let bGot = false;
    const bTurn = turns.take(b).then(() => (bGot = true));
    turns.idle(a);
    await bTurn;
    expect(bGot).toBe(true);
    // a's bytes arrive: it waits for b's chunk, then b hands the turn back.
    let aGot = false;
    const aTurn = turns.take(a).then(() => (aGot = true));
    await Promise.resolve();
    expect(aGot).toBe(false);
    const bAgain = turns.take(b);
    await aTurn;
    expect(aGot).toBe(true);
    turns.release(a);
    await bAgain;
    turns.release(b);
  });
});

const ROWS = 8000;
const h = useSimulator({ simulator: { seed: 5, generate: { incident: ROWS } } });

describe('a partitioned read as records come', () => {
  it('hands out each page whole before the next, not the ranges interleaved chunk by chunk', async () => {
    const ranges = keyRanges({ digits: '0123456789abcdef', length: 32 }, 4);
    const rangeOf = (id: string) => ranges.findIndex((r) => (r.from === undefined || id >= r.from) && (r.to === undefined || id < r.to));
    h.sim.clearRequests();
    // Full incidents, ~3 KB each: a 1,000-record page arrives in dozens of chunks.
    // The runtime's default retries (the harness's connection has none).
    const stream = h.connect({ maxRetries: 3 }).stream('getRecords', { tableName: 'incident', pageSize: 1000, partitions: 4 });
    const order: number[] = [];
    for await (const r of stream) order.push(rangeOf(r['sys_id'] as string));
    expect(order.length).toBeGreaterThanOrEqual(ROWS);
    const pages = h.sim.requests().filter((r) => r.path === '/api/now/table/incident').length;
    let switches = 0;
    for (let i = 1; i < order.length; i++) if (order[i] !== order[i - 1]) switches++;
    // One switch per page, and two more each time a page's bytes were late (over 3 ms: common when the suite loads
    // both cores, 30 seen for 15 pages) and another page parsed meanwhile. Interleaved chunk by chunk: ~200.
    expect(switches).toBeLessThan(pages * 4);
  });
});
