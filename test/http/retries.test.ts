// Retry rules against the simulator's fault injection and rate limits.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../src/http/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { basicSettings, bodyOf, createIncident, getIncident, listIncidents, recordOf } from './support/requests.js';

let sim: RunningSimulator;
let transport: Transport;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  transport = new Transport(basicSettings(sim.url));
});
afterAll(async () => {
  await transport.close();
  await sim.close();
});
afterEach(() => {
  sim.configure({ nextFaults: [], faults: {}, rateLimit: null, latency: { fixedMs: 0, jitterMs: 0 } });
});

function countWith(shortDescription: string): number {
  return sim.db.count('incident', `short_description=${shortDescription}`);
}

describe('idempotent requests', () => {
  it.each(['status500', 'status502', 'status503', 'resetBeforeProcessing', 'resetAfterCommit', 'truncatedBody', 'cancelledTransaction'] as const)(
    'retry after %s and succeed',
    async (fault) => {
      sim.configure({ nextFaults: [fault] });
      const res = await transport.send(listIncidents([['sysparm_limit', '4']]));
      expect(res.status).toBe(200);
      expect(res.attempts).toBe(2);
      expect((bodyOf(res) as { result: unknown[] }).result).toHaveLength(4);
    },
  );

  it('return the last error response when the retries run out', async () => {
    sim.configure({ nextFaults: ['status503', 'status503', 'status503', 'status503', 'status503'] });
    const res = await transport.send(listIncidents());
    expect(res.status).toBe(503);
    expect(res.attempts).toBe(4);
  });

  it('throw CONNECTION_ERROR naming the operation when every attempt is reset', async () => {
    sim.configure({ nextFaults: Array(4).fill('resetBeforeProcessing') });
    const err = await transport.send(listIncidents()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONNECTION_ERROR', operation: 'getRecords', retryable: true });
    expect((err as Error).message).toMatch(/^getRecords: .*after 4 attempts/);
  });

  it('throw SERVICENOW_ERROR when every 200 is truncated', async () => {
    sim.configure({ nextFaults: Array(4).fill('cancelledTransaction') });
    const err = await transport.send(listIncidents()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERVICENOW_ERROR', operation: 'getRecords', status: 200 });
    expect((err as Error).message).toMatch(/not valid JSON/);
  });

  it('do not retry 4xx answers', async () => {
    const before = sim.stats().totalRequests;
    const res = await transport.send(getIncident('f'.repeat(32)));
    expect(res.status).toBe(404);
    expect(res.attempts).toBe(1);
    expect(sim.stats().totalRequests - before).toBe(1);
  });
});

describe('429 rate limits', () => {
  it('wait for Retry-After (seconds) and then succeed', async () => {
    sim.configure({ rateLimit: { limit: 1, windowMs: 1000 } });
    const first = await transport.send(listIncidents());
    const second = await transport.send(listIncidents());
    expect(first.attempts).toBe(1);
    expect(second.status).toBe(200);
    expect(second.attempts).toBe(2);
    expect(sim.stats().rateLimited).toBeGreaterThanOrEqual(1);
  });

  it('read Retry-After as an HTTP date', async () => {
    sim.configure({ rateLimit: { limit: 1, windowMs: 1000, retryAfterAsDate: true } });
    await transport.send(listIncidents());
    const res = await transport.send(listIncidents());
    expect(res.status).toBe(200);
    expect(res.attempts).toBeGreaterThanOrEqual(2);
  });

  it('fall back to X-RateLimit-Reset or backoff without Retry-After', async () => {
    sim.configure({ rateLimit: { limit: 1, windowMs: 300, omitRetryAfter: true } });
    const results = await Promise.all([0, 1, 2].map(() => transport.send(listIncidents())));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
  });

  it('retry a POST rejected with 429: the server did not run it', async () => {
    sim.configure({ rateLimit: { limit: 1, windowMs: 1000 } });
    await transport.send(listIncidents());
    const res = await transport.send(createIncident({ short_description: 'rate-limited create' }));
    expect(res.status).toBe(201);
    expect(res.attempts).toBe(2);
    expect(countWith('rate-limited create')).toBe(1);
  });

  it('wait out 429s with Retry-After without using up retries: many requests sharing one rate limit all succeed', async () => {
    // One retry allowed: the five requests that wait out the first window race again, and four of them lose twice.
    const noRetries = new Transport(basicSettings(sim.url, { retry: { maxRetries: 1 } }));
    try {
      sim.configure({ rateLimit: { limit: 1, windowMs: 200 } });
      const results = await Promise.all([0, 1, 2, 3, 4, 5].map(() => noRetries.send(listIncidents())));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(Math.max(...results.map((r) => r.attempts))).toBeGreaterThan(1);
    } finally {
      await noRetries.close();
    }
  });

  it('give the 429 back when Retry-After lies beyond the deadline', async () => {
    const strict = new Transport(basicSettings(sim.url, { timeouts: { deadlineMs: 300 } }));
    try {
      sim.configure({ rateLimit: { limit: 1, windowMs: 5000 } });
      await strict.send(listIncidents());
      const res = await strict.send(listIncidents());
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.attempts).toBe(1);
    } finally {
      await strict.close();
    }
  });
});

describe('POST (not idempotent) without an outcome probe', () => {
  it('is not repeated after a reset once the request was sent: OUTCOME_UNKNOWN, and the record exists once', async () => {
    sim.configure({ nextFaults: ['resetAfterCommit'] });
    const err = await transport.send(createIncident({ short_description: 'reset after commit' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OUTCOME_UNKNOWN', operation: 'postRecord', retryable: false });
    expect((err as Error).message).toMatch(/outcome is unknown/);
    expect(countWith('reset after commit')).toBe(1);
  });

  it('is not repeated after a 503 (a 5xx may follow a commit): OUTCOME_UNKNOWN, nothing duplicated', async () => {
    sim.configure({ nextFaults: ['status503'] });
    const err = await transport.send(createIncident({ short_description: 'after 503' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OUTCOME_UNKNOWN', status: 503 });
    expect(countWith('after 503')).toBe(0);
  });

  it('is not repeated after a truncated 201', async () => {
    sim.configure({ nextFaults: ['truncatedBody'] });
    const err = await transport.send(createIncident({ short_description: 'truncated create' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(countWith('truncated create')).toBe(1);
  });

  it('is repeated when the connection was refused: it provably never reached the server', async () => {
    const nowhere = new Transport(basicSettings('http://127.0.0.1:1'));
    try {
      const err = await nowhere.send(createIncident({ short_description: 'refused' })).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONNECTION_ERROR', operation: 'postRecord' });
      expect((err as Error).message).toMatch(/connection refused \(after 4 attempts\)/);
      expect(nowhere.stats().retries).toBe(3);
    } finally {
      await nowhere.close();
    }
  });

  it('succeeds on the first attempt when nothing goes wrong', async () => {
    const res = await transport.send(createIncident({ short_description: 'plain create' }));
    expect(res.status).toBe(201);
    expect(recordOf(res).short_description).toBe('plain create');
  });
});
