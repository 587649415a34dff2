// Headers timeout and the per-operation deadline, driven by the simulator's added latency.
// undici checks its headers timeout on a coarse (about one second) timer, so those cases use a latency
// well beyond a second; the deadline is our own exact timer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../src/http/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { basicSettings, createIncident, listIncidents } from './support/requests.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.configure({ latency: { fixedMs: 0, jitterMs: 0 }, nextFaults: [] });
});

describe('timeouts', () => {
  it('a GET past its deadline is a TIMEOUT naming the operation', async () => {
    const transport = new Transport(basicSettings(sim.url, { timeouts: { deadlineMs: 150 } }));
    try {
      sim.configure({ latency: { fixedMs: 1000, jitterMs: 0 } });
      const err = await transport.send(listIncidents()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TIMEOUT', operation: 'getRecords' });
      expect((err as Error).message).toMatch(/^getRecords: timed out: the operation's deadline of 150 ms passed/);
    } finally {
      await transport.close();
    }
  });

  it('a GET without response headers in time is retried, then a TIMEOUT', async () => {
    const transport = new Transport(basicSettings(sim.url, { timeouts: { headersMs: 100 }, retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } }));
    try {
      sim.configure({ latency: { fixedMs: 4000, jitterMs: 0 } });
      const err = await transport.send(listIncidents()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TIMEOUT', operation: 'getRecords', retryable: true });
      expect((err as Error).message).toMatch(/headers timeout \(after 2 attempts\)/);
      expect(transport.stats().retries).toBe(1);
    } finally {
      await transport.close();
    }
  });

  it('a POST that timed out after sending is OUTCOME_UNKNOWN (it may still be applied) and is not repeated', async () => {
    const transport = new Transport(basicSettings(sim.url, { timeouts: { headersMs: 100 } }));
    try {
      sim.configure({ latency: { fixedMs: 4000, jitterMs: 0 } });
      const err = await transport.send(createIncident({ short_description: 'slow create' })).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'OUTCOME_UNKNOWN', operation: 'postRecord' });
      expect((err as Error).message).toMatch(/timeout/);
      expect(transport.stats().attempts).toBe(1);
    } finally {
      await transport.close();
    }
  });

  it('the deadline includes the wait for a connection slot', async () => {
    // One socket, 250 ms per answer: the sixth call cannot end before 6 x 250 = 1500 ms, past its 1200 ms deadline
    // however fast the machine; the first has 950 ms of slack however slow it is.
    const transport = new Transport(basicSettings(sim.url, { maxConcurrency: 1, timeouts: { deadlineMs: 1200 } }));
    try {
      sim.configure({ latency: { fixedMs: 250, jitterMs: 0 } });
      const settled = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(() => transport.send(listIncidents())));
      const first = settled[0]!;
      const last = settled[5]!;
      expect(first.status).toBe('fulfilled');
      expect(last.status).toBe('rejected');
      expect((last as PromiseRejectedResult).reason).toMatchObject({ code: 'TIMEOUT' });
    } finally {
      await transport.close();
    }
  });

  it("the caller's abort signal cancels an operation", async () => {
    const transport = new Transport(basicSettings(sim.url));
    try {
      sim.configure({ latency: { fixedMs: 1000, jitterMs: 0 } });
      const controller = new AbortController();
      const pending = transport.send({ ...listIncidents(), signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_ERROR', operation: 'getRecords', message: expect.stringMatching(/cancelled by the caller/) });
    } finally {
      await transport.close();
    }
  });
});
