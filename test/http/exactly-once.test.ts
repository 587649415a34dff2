// Exactly-once creates: a POST whose outcome is unknown is resolved by looking its idempotency value up.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../src/http/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { basicSettings, createIncident, recordOf } from './support/requests.js';

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
  sim.configure({ nextFaults: [], faults: {} });
});

async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 5));
}

const count = (key: string): number => sim.db.count('incident', `correlation_id=${key}`);

describe('create with an outcome probe', () => {
  it('after a reset AFTER the commit, finds the record and reports it instead of creating it again', async () => {
    const key = randomUUID();
    sim.configure({ nextFaults: ['resetAfterCommit'] });
    const res = await transport.send(createIncident({ short_description: 'eo after commit' }, key));
    expect(res.status).toBe(201);
    expect(recordOf(res).correlation_id).toBe(key);
    expect(res.attempts).toBe(1);
    expect(count(key)).toBe(1);
    expect(transport.stats().probesFound).toBeGreaterThanOrEqual(1);
  });

  it('after a reset BEFORE processing, finds nothing and repeats the POST once', async () => {
    const key = randomUUID();
    sim.configure({ nextFaults: ['resetBeforeProcessing'] });
    const res = await transport.send(createIncident({ short_description: 'eo before processing' }, key));
    expect(res.status).toBe(201);
    expect(res.attempts).toBe(2);
    expect(count(key)).toBe(1);
  });

  it('after a 503 and a truncated 201, ends with exactly one record', async () => {
    const key = randomUUID();
    // POST 503 -> probe (none) -> POST truncated (committed) -> probe finds it.
    sim.configure({ nextFaults: ['status503', 'none', 'truncatedBody'] });
    const res = await transport.send(createIncident({ short_description: 'eo mixed' }, key));
    expect(res.status).toBe(201);
    expect(recordOf(res).correlation_id).toBe(key);
    expect(count(key)).toBe(1);
  });

  it('stays OUTCOME_UNKNOWN when the lookup fails too (a failed lookup is never read as "not there")', async () => {
    const key = randomUUID();
    // POST reset after commit, then every probe attempt fails.
    sim.configure({ nextFaults: ['resetAfterCommit', 'status500', 'status500', 'status500', 'status500'] });
    const err = await transport.send(createIncident({ short_description: 'eo probe fails' }, key)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OUTCOME_UNKNOWN', operation: 'postRecord' });
    expect((err as Error).message).toMatch(/lookup by its idempotency value answered HTTP 500/);
    expect(count(key)).toBe(1);
  });

  it('returns the last 503 (a known failure, not an unknown outcome) when the retries run out after lookups that found nothing', async () => {
    const key = randomUUID();
    const few = new Transport(basicSettings(sim.url, { retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 5 } }));
    try {
      sim.configure({ nextFaults: ['status503', 'none', 'status503', 'none'] });
      const res = await few.send(createIncident({ short_description: 'eo exhausted' }, key));
      expect(res.status).toBe(503);
      expect(res.attempts).toBe(2);
      expect(count(key)).toBe(0);
    } finally {
      await few.close();
    }
  });

  it('after a timeout, a lookup that finds nothing yet is not trusted: OUTCOME_UNKNOWN, and the POST is never repeated', async () => {
    const key = randomUUID();
    const slow = new Transport(basicSettings(sim.url, { timeouts: { headersMs: 100 } }));
    try {
      // Only the create path is slow (the lookup uses the versioned path): the insert commits after the client gave up.
      sim.configure({ faultPathPattern: '^/api/now/table/', latency: { fixedMs: 2500, jitterMs: 0 } });
      const req = createIncident({ short_description: 'eo slow' }, key);
      req.outcomeProbe!.request.path = '/api/now/v2/table/incident';
      const err = await slow.send(req).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'OUTCOME_UNKNOWN', operation: 'postRecord' });
      expect((err as Error).message).toMatch(/found nothing yet, but the instance may still be processing it/);
      expect(slow.stats().probes).toBe(1);
      for (let i = 0; i < 60 && count(key) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(count(key)).toBe(1);
      expect(sim.requests().filter((r) => r.method === 'POST' && r.body.includes(key))).toHaveLength(1);
    } finally {
      sim.configure({ faultPathPattern: '^/api/', latency: { fixedMs: 0, jitterMs: 0 } });
      await slow.close();
    }
  });

  it('after a 504, a lookup that finds nothing yet is not trusted either: the POST is never repeated', async () => {
    // A gateway in front of the instance gives up (504) while the instance may still be inserting: the lookup finds
    // nothing yet. Repeating the POST then could create the record twice.
    const posts: string[] = [];
    const gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        if (req.method === 'POST') posts.push(body);
        res.writeHead(req.method === 'POST' ? 504 : 200, { 'content-type': 'application/json' });
        res.end(req.method === 'POST' ? '{"error":{"message":"Gateway Timeout"}}' : '{"result":[]}');
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const behindGateway = new Transport(basicSettings(`http://127.0.0.1:${(gateway.address() as AddressInfo).port}`));
    try {
      const err = await behindGateway.send(createIncident({ short_description: 'eo 504' }, randomUUID())).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'OUTCOME_UNKNOWN', operation: 'postRecord', status: 504 });
      expect((err as Error).message).toMatch(/found nothing yet, but the instance may still be processing it/);
      expect(behindGateway.stats()).toMatchObject({ probes: 1, outcomeUnknown: 1 });
      expect(posts).toHaveLength(1);
    } finally {
      await behindGateway.close();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
    }
  });

  it('a redelivered create whose earlier delivery is still running on the instance waits for it instead of creating it twice', async () => {
    // A consumer sends the create and dies (its socket closes); the broker hands the message to another consumer
    // at once, while the instance is still inserting the first one. The first lookup cannot see that row yet.
    const key = randomUUID();
    const patient = new Transport(basicSettings(sim.url, { retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 50, redeliveryWaitMs: 1500 } }));
    try {
      sim.configure({ latency: { fixedMs: 700 } });
      const dies = new AbortController();
      const first = transport.send({ ...createIncident({ short_description: 'sent by a consumer that died' }, key), signal: dies.signal }).catch((err: unknown) => err);
      await until(() => sim.requests().some((r) => r.method === 'POST' && r.body.includes(key)));
      dies.abort();
      await first;
      sim.configure({ latency: { fixedMs: 0 } }); // the lookups are answered at once; the insert above still waits
      const redelivered = createIncident({ short_description: 'the same message, delivered again' }, key);
      redelivered.outcomeProbe!.first = true;
      const res = await patient.send(redelivered);
      expect(res.status).toBe(201);
      expect(recordOf(res).short_description).toBe('sent by a consumer that died');
      expect(count(key)).toBe(1);
      expect(patient.stats().probes).toBe(2);
    } finally {
      sim.configure({ latency: { fixedMs: 0 } });
      await patient.close();
    }
  });

  it('under 20% mixed faults, 40 concurrent creates give 40 records, none twice', async () => {
    const keys = Array.from({ length: 40 }, () => randomUUID());
    sim.configure({ faults: { status503: 0.08, resetBeforeProcessing: 0.04, resetAfterCommit: 0.04, truncatedBody: 0.04 } });
    const results = await Promise.allSettled(keys.map((k) => transport.send(createIncident({ short_description: 'eo load' }, k))));
    sim.configure({ faults: {} });
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') expect(count(keys[i])).toBe(1);
      else expect(count(keys[i])).toBeLessThanOrEqual(1);
    }
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(38);
  });
});
