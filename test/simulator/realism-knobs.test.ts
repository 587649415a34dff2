// The realism knobs for tests and benchmarks: latency per request and per record, and a node's concurrency
// semaphore (excess requests queue, then get 429 when the queue is full), set from code, CLI flags and /__sim/config.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliOptionError, parseSimulatorArgs } from '../../src/simulator/cli-options.js';
import { defaultBehaviour, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { call } from './http.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, behaviour: { maxConcurrent: 2, maxQueued: 1 } });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.configure({ maxConcurrent: 2, maxQueued: 1, latency: { fixedMs: 0, jitterMs: 0, perRowMs: 0 } });
  sim.resetStats();
});

describe('concurrency semaphore', () => {
  it('is off by default', async () => {
    expect(defaultBehaviour()).toMatchObject({ maxConcurrent: 0, maxQueued: 50, latency: { fixedMs: 0, jitterMs: 0, perRowMs: 0 } });
    sim.configure({ maxConcurrent: 0, maxQueued: 0 });
    const statuses = await Promise.all(Array.from({ length: 8 }, () => call(sim.url, '/api/now/table/incident?sysparm_limit=1').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(sim.concurrency()).toMatchObject({ maxConcurrent: 0, rejected: 0, waited: 0, active: 0 });
  });

  it('processes maxConcurrent requests at once, queues maxQueued more, and answers 429 when the queue is full', async () => {
    // Each request holds its slot for 300 ms, so the four requests below overlap.
    sim.configure({ latency: { fixedMs: 300 } });
    const results = await Promise.all(Array.from({ length: 4 }, () => call(sim.url, '/api/now/table/incident?sysparm_limit=1')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.json).toMatchObject({ error: { message: 'Too Many Requests' }, status: 'failure' });
    // The numbers are on the admin endpoint and in the stats.
    const shown = await call(sim.url, '/__sim/concurrency', { auth: null });
    expect(shown.json.result).toMatchObject({ maxConcurrent: 2, maxQueued: 1, active: 0, queued: 0, peakActive: 2, peakQueued: 1, waited: 1, rejected: 1 });
    expect(sim.stats().concurrency).toMatchObject({ rejected: 1, peakActive: 2 });
    expect(sim.stats().byStatus).toMatchObject({ '200': 3, '429': 1 });
  });

  it('lets queued requests in when the limit is raised through /__sim/config', async () => {
    sim.configure({ maxConcurrent: 1, maxQueued: 5, latency: { fixedMs: 300 } });
    const pending = Array.from({ length: 4 }, () => call(sim.url, '/api/now/table/incident?sysparm_limit=1'));
    // Wait (by polling the admin endpoint, not by sleeping a guessed time) until three requests are queued.
    while ((await call(sim.url, '/__sim/concurrency', { auth: null })).json.result.queued < 3);
    const raised = await call(sim.url, '/__sim/config', { method: 'POST', auth: null, body: { maxConcurrent: 16, latency: { fixedMs: 0 } } });
    expect(raised.json.result.maxConcurrent).toBe(16);
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(sim.concurrency()).toMatchObject({ maxConcurrent: 16, queued: 0, waited: 3, rejected: 0 });
  });

  it('refuses nonsense limits', async () => {
    const r = await call(sim.url, '/__sim/config', { method: 'POST', auth: null, body: { maxConcurrent: -1 } });
    expect(r.status).toBe(400);
    expect(r.json.error.detail).toMatch(/maxConcurrent/);
    expect(() => sim.configure({ maxQueued: 1.5 })).toThrow(/maxQueued/);
  });
});

describe('latency per request and per record', () => {
  it('adds the fixed latency plus the per-row cost of the records in the answer', async () => {
    sim.configure({ maxConcurrent: 0, latency: { fixedMs: 20, perRowMs: 2 } });
    // A lower bound only: the added delay is never skipped (no upper bound: the machine may be busy).
    let started = performance.now();
    const page = await call(sim.url, '/api/now/table/incident?sysparm_limit=40&sysparm_fields=number');
    const pageMs = performance.now() - started;
    expect(page.json.result).toHaveLength(40);
    expect(pageMs).toBeGreaterThanOrEqual(20 + 40 * 2 - 2);
    started = performance.now();
    const empty = await call(sim.url, '/api/now/table/incident?sysparm_query=number=NONE');
    expect(empty.json.result).toHaveLength(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(18);
  });
});

describe('command-line flags', () => {
  it('reads --latency with units, jitter and a per-row cost, --max-concurrent and --max-queue', () => {
    expect(parseSimulatorArgs(['--latency', '100ms+0.05ms/row', '--max-concurrent', '16'])).toMatchObject({
      options: { behaviour: { latency: { fixedMs: 100, jitterMs: 0, perRowMs: 0.05 }, maxConcurrent: 16 } },
    });
    expect(parseSimulatorArgs(['--latency', '20+30'])).toMatchObject({ options: { behaviour: { latency: { fixedMs: 20, jitterMs: 30, perRowMs: 0 } } } });
    expect(parseSimulatorArgs(['--latency', '1s+5ms+0.1ms/row', '--max-concurrent', '4', '--max-queue', '10'])).toMatchObject({
      options: { behaviour: { latency: { fixedMs: 1000, jitterMs: 5, perRowMs: 0.1 }, maxConcurrent: 4, maxQueued: 10 } },
    });
    for (const [args, message] of [
      [['--latency', 'fast'], /--latency/],
      [['--latency', '10ms/row+5'], /--latency/],
      [['--max-concurrent', '0'], /--max-concurrent/],
      [['--max-queue', '5'], /--max-queue needs --max-concurrent/],
    ] as [string[], RegExp][]) {
      expect(() => parseSimulatorArgs(args)).toThrow(CliOptionError);
      expect(() => parseSimulatorArgs(args)).toThrow(message);
    }
  });
});
