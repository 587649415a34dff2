// partitions=auto over real HTTP against the simulator: the read discovers how many page requests the instance takes
// at once. It grows from 2 while pages come back as fast as before, and backs off when the instance queues
// (--max-concurrent with a full queue answers 429 at once) or rate-limits (429 with Retry-After). Every row comes
// exactly once either way. Assertions are on counters (the simulator's and the read's), never on time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnector, type Connection } from '../../src/invoke/index.js';
import type { JsonRecord, RecordStream } from '../../src/paging/index.js';
import { AUTO_INITIAL } from '../../src/paging/adaptive-limit.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const ROWS = 1500;
let sim: RunningSimulator;
let conn: Connection;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 15, generate: { incident: ROWS } });
  conn = (await loadConnector()).connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin', maxRetries: 20, retryInitialDelay: 1 });
});
afterAll(async () => {
  await conn?.close();
  await sim?.close();
});

async function readAll(stream: RecordStream): Promise<string[]> {
  const ids: string[] = [];
  for await (const r of stream as AsyncIterable<JsonRecord>) ids.push(r['sys_id'] as string);
  return ids;
}
function expectEveryRowOnce(ids: string[]): void {
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(sim.db.list('incident').map((r) => r.sys_id!).sort());
}
const read = (pageSize = 25) => conn.stream('getRecords', { tableName: 'incident', partitions: 'auto', pageSize, sysparmFields: 'sys_id' });

describe('partitions=auto', () => {
  it('grows past its start while pages come back as fast as the first ones', async () => {
    sim.configure({ latency: { fixedMs: 20, jitterMs: 0, perRowMs: 0 }, maxConcurrent: 0, rateLimit: null });
    const stream = read();
    expectEveryRowOnce(await readAll(stream));
    const c = stream.progress.concurrency!;
    expect(c.peakLimit).toBeGreaterThan(AUTO_INITIAL);
    expect(c.peakInFlight).toBeGreaterThan(AUTO_INITIAL);
    expect(c.throttled).toBe(0);
  });

  it('backs off when the instance refuses requests beyond its semaphore and queue (429 at once)', async () => {
    sim.configure({ latency: { fixedMs: 15, jitterMs: 0, perRowMs: 0 }, maxConcurrent: 3, maxQueued: 0, rateLimit: null });
    sim.resetStats();
    const stream = read();
    expectEveryRowOnce(await readAll(stream));
    const gate = sim.stats().concurrency!;
    const c = stream.progress.concurrency!;
    expect(gate.rejected).toBeGreaterThan(0);
    // The read sees every refusal: its page requests', their resumptions' and the counts' that confirm a range's end
    // (a count once went around the limit and its 429s unseen: 44 of 50 counted in a CI run).
    expect(c.throttled).toBe(gate.rejected);
    expect(c.pauses).toBe(0);
    expect(c.backoffs.throttled).toBeGreaterThan(0);
    // Cut back to what the instance takes: the limit ends near its 3 slots, not at the 16 ranges.
    expect(c.limit).toBeLessThanOrEqual(6);
  });

  it('backs off when pages come back much slower because requests queue on the instance (no 429)', async () => {
    // The instance gets busy in the middle of the read: it ran every request at once, now it runs 2 and queues the
    // rest. Pages then take several times as long as before, which no busy event loop on this side can hide (a
    // mild slowdown can be: a CI run once ended a read on 3 slots at a limit of 9 without a cut).
    sim.configure({ latency: { fixedMs: 40, jitterMs: 0, perRowMs: 0 }, maxConcurrent: 0, maxQueued: 50, rateLimit: null });
    sim.resetStats();
    const stream = read(10);
    const ids: string[] = [];
    let limitBefore = 0;
    for await (const r of stream as AsyncIterable<JsonRecord>) {
      ids.push(r['sys_id'] as string);
      if (ids.length === 400) {
        limitBefore = stream.progress.concurrency!.limit;
        sim.configure({ maxConcurrent: 2 });
      }
    }
    expectEveryRowOnce(ids);
    const gate = sim.stats().concurrency!;
    const c = stream.progress.concurrency!;
    expect(limitBefore).toBeGreaterThan(4);
    expect(gate.rejected).toBe(0);
    expect(gate.waited).toBeGreaterThan(0);
    expect(c.throttled).toBe(0);
    expect(c.backoffs.queueing).toBeGreaterThan(0);
    expect(c.limit).toBeLessThan(limitBefore);
  });

  it("waits out a rate limit's Retry-After without cutting the limit", async () => {
    sim.configure({ latency: { fixedMs: 5, jitterMs: 0, perRowMs: 0 }, maxConcurrent: 0, rateLimit: { limit: 25, windowMs: 1000, rule: 'auto test', omitRetryAfter: false, retryAfterAsDate: false } });
    sim.resetStats();
    const stream = read();
    expectEveryRowOnce(await readAll(stream));
    const c = stream.progress.concurrency!;
    // 25 a second for ~92 requests (pages, empty pages, counts): refused unless the read took over 3.7 s (40 a second
    // once saw no refusal on a loaded machine).
    expect(sim.stats().rateLimited).toBeGreaterThan(0);
    // Too many per second, not too many at once: every range paused until the Retry-After, the limit was kept.
    expect(c.throttled).toBe(sim.stats().rateLimited);
    expect(c.pauses).toBe(c.throttled);
    expect(c.backoffs.throttled).toBe(0);
    sim.configure({ rateLimit: null, latency: { fixedMs: 0 } });
  });

  it('refuses auto with ordered=true and a word that is neither auto nor a number, before any request', async () => {
    sim.clearRequests();
    expect(() => conn.stream('getRecords', { tableName: 'incident', partitions: 'auto', ordered: true })).toThrow(/getRecords: 'ordered' merges every range's records, so every range must read at once: it needs a fixed number of partitions \(got auto\)/);
    expect(() => conn.stream('getRecords', { tableName: 'incident', partitions: 'many' })).toThrow(/partitions/);
    expect(sim.requests().length).toBe(0);
  });
});
