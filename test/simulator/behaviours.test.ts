import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { ADMIN, ITIL, call, links } from './http.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.configure({ faults: { status500: 0, status502: 0, status503: 0, resetBeforeProcessing: 0, resetAfterCommit: 0, truncatedBody: 0, cancelledTransaction: 0 }, nextFaults: [], rateLimit: null, latency: { fixedMs: 0, jitterMs: 0 } });
});

describe('row ACL after the limit', () => {
  it('gives the restricted user short pages that are not the end; following next still reaches every visible row', async () => {
    const total = sim.db.count('incident');
    let url: string | undefined = `${sim.url}/api/now/table/incident?sysparm_limit=5&sysparm_fields=sys_id`;
    const seen: string[] = [];
    let shortPagesBeforeEnd = 0;
    let totalHeader = 0;
    while (url) {
      const res = await fetch(url, { headers: { Authorization: ITIL } });
      totalHeader = Number(res.headers.get('x-total-count'));
      const body = (await res.json()) as { result: { sys_id: string }[] };
      url = links(res.headers.get('link')).next;
      if (body.result.length < 5 && url) shortPagesBeforeEnd++;
      seen.push(...body.result.map((r) => r.sys_id));
    }
    // X-Total-Count counts rows before the ACL, as ServiceNow does.
    expect(totalHeader).toBe(total);
    expect(shortPagesBeforeEnd).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(total);
    expect(new Set(seen).size).toBe(seen.length);
    // A hidden row is a 404 for the restricted user and visible to admin.
    const all = sim.db.list('incident').map((r) => r.sys_id);
    const hidden = all.find((id) => !seen.includes(id))!;
    expect((await call(sim.url, `/api/now/table/incident/${hidden}`, { auth: ITIL })).status).toBe(404);
    expect((await call(sim.url, `/api/now/table/incident/${hidden}`, { auth: ADMIN })).status).toBe(200);
  });

  it('can apply to everybody or nobody', async () => {
    sim.configure({ aclScope: 'all' });
    try {
      const a = await call(sim.url, '/api/now/table/incident?sysparm_limit=100');
      expect(a.json.result.length).toBeLessThan(sim.db.count('incident'));
      sim.configure({ aclScope: 'off' });
      const b = await call(sim.url, '/api/now/table/incident?sysparm_limit=100', { auth: ITIL });
      expect(b.json.result.length).toBe(sim.db.count('incident'));
    } finally {
      sim.configure({ aclScope: 'restricted' });
    }
  });

  it('forbids admin tables to the restricted user (403)', async () => {
    const r = await call(sim.url, '/api/now/table/sys_dictionary?sysparm_limit=1', { auth: ITIL });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toBe('User Not Authorized');
  });
});

describe('glide.invalid_query.returns_no_rows', () => {
  it('ignores a condition on an unknown field by default and matches nothing when switched on', async () => {
    const q = '/api/now/table/incident?sysparm_query=no_such_field=1^active=true&sysparm_limit=1000';
    const ignored = await call(sim.url, q);
    expect(ignored.json.result.length).toBe(sim.db.count('incident', 'active=true'));
    sim.configure({ invalidQueryReturnsNoRows: true });
    try {
      const none = await call(sim.url, q);
      expect(none.status).toBe(200);
      expect(none.json.result).toEqual([]);
    } finally {
      sim.configure({ invalidQueryReturnsNoRows: false });
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After, X-RateLimit-* and an error envelope once the window is used up', async () => {
    sim.configure({ rateLimit: { limit: 2, windowMs: 60_000, rule: 'test-rule' } });
    sim.resetStats();
    const ok = await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-rule')).toBe('test-rule');
    await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    const limited = await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(limited.headers.get('x-ratelimit-rule')).toBe('test-rule');
    expect(limited.json.status).toBe('failure');
    expect(sim.stats().rateLimited).toBe(1);
    // Per user: itil has its own window.
    expect((await call(sim.url, '/api/now/table/incident?sysparm_limit=1', { auth: ITIL })).status).toBe(200);

    sim.configure({ rateLimit: { limit: 1, windowMs: 60_000, omitRetryAfter: true } });
    await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    const noRetry = await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(noRetry.status).toBe(429);
    expect(noRetry.headers.get('retry-after')).toBeNull();
    expect(noRetry.headers.get('x-ratelimit-reset')).not.toBeNull();
  });

  it('sends no rate-limit headers without a rule', async () => {
    const r = await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(r.headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe('fault injection', () => {
  const create = () => fetch(`${sim.url}/api/now/table/incident`, { method: 'POST', headers: { Authorization: ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ short_description: 'fault test' }) });

  it('answers 500 (JSON envelope), 502 and 503 (gateway HTML) when scripted', async () => {
    sim.resetStats();
    sim.configure({ nextFaults: ['status500', 'status502', 'status503', 'none'] });
    const a = await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(a.status).toBe(500);
    expect(a.json.status).toBe('failure');
    const b = await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(b.status).toBe(502);
    expect(b.text).toContain('502 Bad Gateway');
    const c = await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    expect(c.status).toBe(503);
    expect((await call(sim.url, '/api/now/table/incident?sysparm_limit=1')).status).toBe(200);
    expect(sim.stats().faultsInjected).toEqual({ status500: 1, status502: 1, status503: 1 });
  });

  it('resets the connection before processing: nothing is stored', async () => {
    const before = sim.db.count('incident');
    sim.configure({ nextFaults: ['resetBeforeProcessing'] });
    await expect(create()).rejects.toThrow();
    expect(sim.db.count('incident')).toBe(before);
  });

  it('resets the connection after the commit: the record IS stored but no response arrives', async () => {
    const before = sim.db.count('incident');
    sim.configure({ nextFaults: ['resetAfterCommit'] });
    await expect(create()).rejects.toThrow();
    expect(sim.db.count('incident')).toBe(before + 1);
    expect(sim.requests().at(-1)).toMatchObject({ method: 'POST', status: 0, fault: 'resetAfterCommit' });
  });

  it('truncates a body mid-way (the client sees a premature close)', async () => {
    sim.configure({ nextFaults: ['truncatedBody'] });
    const res = await fetch(`${sim.url}/api/now/table/incident?sysparm_limit=5`, { headers: { Authorization: ADMIN } });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('cancels a transaction: 200 whose body is cut and ends with the cancellation text', async () => {
    sim.configure({ nextFaults: ['cancelledTransaction'] });
    const r = await call(sim.url, '/api/now/table/incident?sysparm_limit=5');
    expect(r.status).toBe(200);
    expect(r.text.endsWith('Transaction cancelled: maximum execution time exceeded')).toBe(true);
    expect(r.json).toBeUndefined();
  });

  it('draws faults from the seed: the same seed gives the same sequence, rates are roughly honoured', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const s = await startSimulator({ seed, behaviour: { faults: { status503: 0.3 } } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 40; i++) out.push((await call(s.url, '/api/now/table/sys_user?sysparm_limit=1')).status);
        return out;
      } finally {
        await s.close();
      }
    };
    const a = await run(11);
    const b = await run(11);
    expect(a).toEqual(b);
    const failures = a.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
  });

  it('adds latency without changing answers, and limits faults to matching paths', async () => {
    sim.configure({ latency: { fixedMs: 5, jitterMs: 5 }, faults: { status500: 1 }, faultPathPattern: '^/api/now/stats/' });
    try {
      expect((await call(sim.url, '/api/now/table/incident?sysparm_limit=1')).status).toBe(200);
      expect((await call(sim.url, '/api/now/stats/incident?sysparm_count=true')).status).toBe(500);
    } finally {
      sim.configure({ faultPathPattern: '^/api/' });
    }
  });

  it('counts every request, including rejected and faulted ones, per route', async () => {
    sim.resetStats();
    sim.configure({ nextFaults: ['status503'] });
    await call(sim.url, '/api/now/table/incident?sysparm_limit=1');
    await call(sim.url, '/api/now/table/incident?sysparm_limit=1', { auth: null });
    await call(sim.url, '/api/now/table/incident/0123456789abcdef0123456789abcdef');
    const s = sim.stats();
    expect(s.totalRequests).toBe(3);
    expect(s.byRoute).toEqual({ 'GET /api/now/table/{table}': 2, 'GET /api/now/table/{table}/{sys_id}': 1 });
    expect(s.byStatus).toEqual({ '503': 1, '401': 1, '404': 1 });
    expect(s.authFailures).toBe(1);
  });

  it('refuses nonsense behaviour', () => {
    expect(() => sim.configure({ faults: { status500: 2 } })).toThrow(/between 0 and 1/);
    expect(() => sim.configure({ aclHideRate: -1 })).toThrow();
    expect(() => sim.configure({ nope: true } as never)).toThrow(/unknown behaviour/);
  });
});
