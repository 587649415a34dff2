// validatePayload and strictQuery: every problem listed at once, nothing sent, over the real simulator.
import { describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/errors.js';
import { closestName, fieldsOfEncodedQuery } from '../../src/schema/index.js';
import { useSimulator } from '../invoke/support.js';

const h = useSimulator();

async function failure(run: Promise<unknown>): Promise<ConnectorError> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  if (!isConnectorError(err)) throw new Error(`expected a ConnectorError, got ${String(err)}`);
  return err;
}

/** Table API writes the simulator saw (schema reads are GETs). */
const writes = () => h.apiRequests().filter((r) => r.method !== 'GET');

describe('validatePayload', () => {
  it('a misspelled field fails naming it and the closest real field; nothing is sent', async () => {
    h.sim.clearRequests();
    const before = h.sim.db.count('incident');
    const err = await failure(h.conn.invoke('postRecord', { tableName: 'incident', validatePayload: true, payload: { short_descripton: 'Printer on fire' } }));
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.operation).toBe('postRecord');
    expect(err.message).toContain("unknown field 'short_descripton' (did you mean 'short_description'?)");
    expect(err.message).toContain('nothing was sent');
    expect(writes()).toHaveLength(0);
    expect(h.sim.db.count('incident')).toBe(before);
  });

  it('lists every problem at once: unknown field, wrong type, value outside the choices, too long, mandatory missing', async () => {
    const mandatory = h.sim.db.list('sys_dictionary', 'name=incident^element=caller_id')[0]!;
    h.sim.db.update('sys_dictionary', mandatory.sys_id!, { mandatory: 'true' });
    try {
      const err = await failure(
        h.connect().invoke('postRecord', {
          tableName: 'incident',
          validatePayload: true,
          shortDescription: 'x'.repeat(161),
          payload: { urgancy: '1', priority: '9', severity: 'high', opened_at: 'yesterday', active: 'maybe' },
        }),
      );
      const problems = (err.detail ?? '').split('\n');
      expect(problems).toEqual(
        expect.arrayContaining([
          "unknown field 'urgancy' (did you mean 'urgency'?)",
          expect.stringMatching(/^field 'priority' \(choice\): '9' is not one of its choices: 1 \(1 - Critical\)/),
          "field 'severity' (integer): 'high' is not an integer",
          "field 'opened_at' (glide_date_time): 'yesterday' is not a date-time YYYY-MM-DD HH:mm:ss",
          "field 'active' (boolean): 'maybe' is not true or false",
          "field 'short_description' (string): 161 characters, more than its maximum length 160",
          "mandatory field 'caller_id' (Caller) is missing",
        ]),
      );
      expect(problems).toHaveLength(7);
      expect(err.message).toContain('7 problems');
    } finally {
      h.sim.db.update('sys_dictionary', mandatory.sys_id!, { mandatory: 'false' });
    }
  });

  it('a valid payload is created; choice labels and reference objects are accepted', async () => {
    const caller = h.sim.db.list('sys_user', 'user_name=abel.tuter')[0]!;
    const { payload, status } = await h.conn.invoke('postRecord', {
      tableName: 'incident',
      validatePayload: true,
      shortDescription: 'Validated create',
      payload: { priority: '2 - High', urgency: '2', caller_id: { value: caller.sys_id }, active: true, severity: 3 },
    });
    expect(status).toBe(201);
    expect((payload as { result: Record<string, unknown> }).result['short_description']).toBe('Validated create');
  });

  it('updates do not require mandatory fields, but still refuse unknown ones', async () => {
    const row = h.sim.db.list('incident')[0]!;
    const ok = await h.conn.invoke('patchRecord', { tableName: 'incident', sysId: row.sys_id, validatePayload: true, payload: { urgency: '3' } });
    expect(ok.status).toBe(200);
    const err = await failure(h.conn.invoke('patchRecord', { tableName: 'incident', sysId: row.sys_id, validatePayload: true, payload: { state_: '2' } }));
    expect(err.message).toContain("unknown field 'state_' (did you mean 'state'?)");
  });

  it('reads the schema once per table and connection (three dictionary reads), not per create', async () => {
    const conn = h.connect();
    h.sim.clearRequests();
    for (let i = 0; i < 3; i++) await conn.invoke('postRecord', { tableName: 'problem', validatePayload: true, shortDescription: `p${i}` });
    const paths = h.apiRequests().map((r) => `${r.method} ${r.path}`);
    expect(paths.filter((p) => p.startsWith('GET'))).toHaveLength(3);
    expect(paths.filter((p) => p === 'POST /api/now/table/problem')).toHaveLength(3);
  });

  it('without validatePayload the body is sent as it is (ServiceNow drops unknown fields)', async () => {
    const { status } = await h.conn.invoke('postRecord', { tableName: 'incident', payload: { short_descripton: 'typo' } });
    expect(status).toBe(201);
  });
});

describe('strictQuery', () => {
  it('rejects a query naming a field the table does not have, with the closest name; nothing is sent', async () => {
    h.sim.clearRequests();
    const err = await failure(h.conn.invoke('getRecords', { tableName: 'incident', strictQuery: true, sysparmQuery: 'activ=true^priority=1' }));
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.parameter).toBe('sysparmQuery');
    expect(err.message).toContain("field 'activ', which table incident does not have (did you mean 'active'?)");
    expect(err.message).toContain('match every row');
    expect(h.apiRequests().filter((r) => r.path === '/api/now/table/incident')).toHaveLength(0);
  });

  it('follows dot-walked references and checks ORDERBY fields', async () => {
    const err = await failure(h.conn.invoke('getRecords', { tableName: 'incident', strictQuery: true, sysparmQuery: 'caller_id.nmae=Abel Tuter^ORDERBYDESCnumbr' }));
    expect(err.message).toContain("field 'nmae', which table sys_user (reached through 'caller_id') does not have (did you mean 'name'?)");
    expect(err.message).toContain("field 'numbr'");
    const ok = await h.conn.invoke('getRecords', { tableName: 'incident', strictQuery: true, sysparmQuery: 'caller_id.name=Abel Tuter^ORpriority=1^NQactive=true^ORDERBYDESCnumber', sysparmLimit: 2 });
    expect(ok.status).toBe(200);
  });

  it("checks keyValuePairs' fields too (field=value pairs joined with &)", async () => {
    const err = await failure(h.conn.invoke('getRecords', { tableName: 'incident', strictQuery: true, keyValuePairs: 'priority=1&categry=network' }));
    expect(err.parameter).toBe('keyValuePairs');
    expect(err.message).toContain("field 'categry', which table incident does not have (did you mean 'category'?)");
  });

  it('applies to all-pages reads: stream() fails before the first page, invoke with all=true too', async () => {
    h.sim.clearRequests();
    const stream = h.conn.stream('getRecords', { tableName: 'incident', strictQuery: true, sysparmQuery: 'activ=true' });
    const streamed = await (async () => {
      for await (const _record of stream) return 'a record came through';
      return 'no error';
    })().catch((e: unknown) => e);
    expect(isConnectorError(streamed) && streamed.message).toContain("did you mean 'active'?");
    const collected = await failure(h.conn.invoke('getRecords', { tableName: 'incident', strictQuery: true, all: true, sysparmQuery: 'activ=true' }));
    expect(collected.message).toContain("did you mean 'active'?");
    expect(h.apiRequests().filter((r) => r.path === '/api/now/table/incident')).toHaveLength(0);
  });

  it('applies to getAggregateRecord too', async () => {
    const err = await failure(h.conn.invoke('getAggregateRecord', { tableName: 'incident', strictQuery: true, sysparmCount: true, sysparmQuery: 'stat=1' }));
    expect(err.message).toContain("did you mean 'state'?");
  });

  it('is off by default: ServiceNow (and the simulator) ignore the unknown condition', async () => {
    const all = await h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1000 });
    const loose = await h.conn.invoke('getRecords', { tableName: 'incident', sysparmQuery: 'activ=true', sysparmLimit: 1000 });
    expect((loose.payload as { result: unknown[] }).result.length).toBe((all.payload as { result: unknown[] }).result.length);
  });
});

describe('helpers', () => {
  it('finds the field names of an encoded query, ^^ being a literal caret', () => {
    expect(fieldsOfEncodedQuery('active=true^ORpriority<2^short_descriptionLIKEa^^b^NQcaller_id.name=x^ORDERBYnumber^ORDERBYDESCsys_created_on^EQ')).toEqual([
      'active',
      'priority',
      'short_description',
      'caller_id.name',
      'number',
      'sys_created_on',
    ]);
  });

  it('suggests by name and by label, and nothing for a word unlike any field', () => {
    const fields = [{ name: 'short_description', label: 'Short description' }, { name: 'caller_id', label: 'Caller' }];
    expect(closestName('shortDescription', fields)).toBe('short_description');
    expect(closestName('caller', fields)).toBe('caller_id');
    expect(closestName('zzzzzz', fields)).toBeUndefined();
  });
});
