// postRecord with idempotencyField: the catalogue's <idempotency> guard wired to the transport's outcome probe.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import { resultOf, useSimulator, type Row } from './support.js';

const h = useSimulator();
beforeEach(() => {
  h.sim.clearRequests();
  h.sim.configure({ nextFaults: [] });
});

const retrying = () => h.connect({ maxRetries: 3 });

describe('exactly-once creates (idempotencyField)', () => {
  it('a create whose connection is reset after the write is found by its value, not created twice', async () => {
    const conn = retrying();
    h.sim.configure({ nextFaults: ['resetAfterCommit'] });
    const res = await conn.invoke('postRecord', {
      tableName: 'incident',
      idempotencyField: 'correlation_id',
      payload: { short_description: 'Once only', correlation_id: 'snc-once-1001' },
    });
    expect(res.status).toBe(201);
    expect(resultOf(res.payload)).toMatchObject({ short_description: 'Once only', correlation_id: 'snc-once-1001' });
    expect(h.sim.db.count('incident', 'correlation_id=snc-once-1001')).toBe(1);
    // The lookup went through getRecords' declared query parameter.
    const lookups = h.apiRequests().filter((r) => r.method === 'GET');
    expect(lookups.map((r) => r.query['sysparm_query'])).toContain('correlation_id=snc-once-1001');
  });

  it('without idempotencyField the same fault is reported as an unknown outcome and nothing is re-posted', async () => {
    const conn = retrying();
    h.sim.configure({ nextFaults: ['resetAfterCommit'] });
    const err = await conn
      .invoke('postRecord', { tableName: 'incident', payload: { short_description: 'Maybe', correlation_id: 'snc-once-1002' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('OUTCOME_UNKNOWN');
    expect((err as ConnectorError).operation).toBe('postRecord');
    expect(h.apiRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(h.sim.db.count('incident', 'correlation_id=snc-once-1002')).toBe(1);
  });

  it('a value missing from the payload is refused before anything is sent', async () => {
    const err = await h.conn
      .invoke('postRecord', { tableName: 'incident', idempotencyField: 'correlation_id', payload: { short_description: 'No id' } })
      .catch((e: unknown) => e);
    expect((err as ConnectorError).code).toBe('INVALID_PARAMETER');
    expect((err as ConnectorError).parameter).toBe('idempotencyField');
    expect((err as ConnectorError).message).toContain("'correlation_id'");
    expect(h.apiRequests()).toHaveLength(0);
  });

  it("a value with '^' (which would change the lookup's query) is refused before anything is sent", async () => {
    const err = await h.conn
      .invoke('postRecord', { tableName: 'incident', idempotencyField: 'correlation_id', payload: { correlation_id: 'a^ORactive=true' } })
      .catch((e: unknown) => e);
    expect((err as ConnectorError).code).toBe('INVALID_PARAMETER');
    expect(h.apiRequests()).toHaveLength(0);
  });

  it('a record whose value differs only in case is not taken for the create', async () => {
    const conn = retrying();
    await h.conn.invoke('postRecord', { tableName: 'incident', payload: { short_description: 'Other', correlation_id: 'SNC-ONCE-1004' } });
    h.sim.configure({ nextFaults: ['resetBeforeProcessing'] });
    const res = await conn.invoke('postRecord', {
      tableName: 'incident',
      idempotencyField: 'correlation_id',
      payload: { short_description: 'Mine', correlation_id: 'snc-once-1004' },
    });
    expect(resultOf(res.payload)).toMatchObject({ short_description: 'Mine', correlation_id: 'snc-once-1004' });
    expect(h.sim.db.list('incident', 'correlation_id=snc-once-1004').map((r) => r['short_description']).sort()).toEqual(['Mine', 'Other']);
  });

  it('the happy path sends one POST and no lookup', async () => {
    const res = await h.conn.invoke('postRecord', {
      tableName: 'incident',
      idempotencyField: 'correlation_id',
      payload: { short_description: 'Plain', correlation_id: 'snc-once-1003' },
    });
    expect((resultOf(res.payload) as Row)['correlation_id']).toBe('snc-once-1003');
    expect(h.apiRequests().map((r) => r.method)).toEqual(['POST']);
  });
});
