// Parameters read from a MessageContext, and the response written back into it the Synapse way.
import { beforeEach, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { RESULT_PROPERTIES } from '../../src/invoke/index.js';
import { resultOf, rowsOf, useSimulator, type Row } from './support.js';

const h = useSimulator();
beforeEach(() => h.sim.clearRequests());

describe('invoking with a MessageContext', () => {
  it('resolves {$ctx:}, {json-eval()}, {$trp:} and ${payload.} parameter values', async () => {
    const ctx = new MessageContext({
      payload: { ticket: { table: 'incident', limit: 2 } },
      properties: { query: 'active=true' },
      headers: { 'X-Fields': 'number,priority' },
    });
    const res = await h.conn.invoke(
      'getRecords',
      { tableName: '{json-eval($.ticket.table)}', sysparmQuery: '{$ctx:query}', sysparmFields: '{$trp:X-Fields}', sysparmLimit: '${payload.ticket.limit}' },
      { context: ctx, evaluateExpressions: true },
    );
    expect(h.apiRequests()[0]!.query).toEqual({ sysparm_query: 'active=true', sysparm_fields: 'number,priority', sysparm_limit: '2' });
    expect(rowsOf(res.payload)).toHaveLength(2);
  });

  it('takes values as literal data unless evaluateExpressions is asked for, so data cannot read a secret', async () => {
    const ctx = new MessageContext({ properties: { password: 'hunter2-secret' } });
    const res = await h.conn.invoke(
      'postRecord',
      { tableName: 'incident', payload: { short_description: '{$ctx:password}', description: '${props.password}' } },
      { context: ctx },
    );
    expect(resultOf(res.payload)).toMatchObject({ short_description: '{$ctx:password}', description: '${props.password}' });
    expect(JSON.stringify(h.apiRequests().at(-1))).not.toContain('hunter2-secret');
  });

  it('writes the payload, HTTP_SC, the paging properties and the response headers into the context', async () => {
    const ctx = new MessageContext({ payload: { old: true }, headers: { 'X-Request-Header': 'from the inbound message' } });
    const res = await h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 3 }, { context: ctx });
    expect(ctx.payload).toEqual(res.payload);
    expect(ctx.getProperty('HTTP_SC', 'axis2')).toBe(200);
    expect(ctx.getProperty(RESULT_PROPERTIES.status)).toBe(200);
    expect(ctx.getProperty(RESULT_PROPERTIES.totalCount)).toBe(h.sim.db.count('incident'));
    expect(ctx.getProperty(RESULT_PROPERTIES.nextLink)).toBe(res.nextLink);
    expect(String(ctx.getProperty(RESULT_PROPERTIES.nextLink))).toContain('sysparm_offset=3');
    expect(ctx.getHeader('X-Total-Count')).toBe(String(h.sim.db.count('incident')));
    expect(ctx.getHeader('x-request-header')).toBeUndefined();
  });

  it('a create from the context payload, read back by json-eval in the next call', async () => {
    const ctx = new MessageContext({ payload: { short_description: 'From the payload', urgency: '2' } });
    await h.conn.invoke('postRecord', { tableName: 'incident', payload: '${payload}' }, { context: ctx, evaluateExpressions: true });
    expect(ctx.getProperty('HTTP_SC', 'axis2')).toBe(201);
    const created = resultOf(ctx.payload) as Row;
    expect(created).toMatchObject({ short_description: 'From the payload', urgency: '2' });
    await h.conn.invoke('getRecordById', { tableName: 'incident', sysId: '{json-eval($.result.sys_id)}' }, { context: ctx, evaluateExpressions: true });
    expect((resultOf(ctx.payload) as Row)['sys_id']).toBe(created['sys_id']);
    expect(h.apiRequests().at(-1)!.path).toBe(`/api/now/table/incident/${String(created['sys_id'])}`);
  });

  it('overwriteBody false keeps the message payload', async () => {
    const ctx = new MessageContext({ payload: { keep: 'me' } });
    const res = await h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 }, { context: ctx, overwriteBody: false });
    expect(ctx.payload).toEqual({ keep: 'me' });
    expect(rowsOf(res.payload)).toHaveLength(1);
  });

  it('invoke(name, ctx) reads each parameter from the property of the same name', async () => {
    const ctx = new MessageContext({ properties: { tableName: 'incident', sysparmLimit: '1', KeyValuePairs: 'priority=1' } });
    await h.conn.invoke('getRecords', ctx);
    expect(h.apiRequests()[0]!.query).toEqual({ sysparm_query: 'priority=1', sysparm_limit: '1' });
    expect(rowsOf(ctx.payload)[0]).toMatchObject({ priority: '1' });
  });

  it('a 204 leaves no payload and no stale paging properties', async () => {
    const ctx = new MessageContext();
    await h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 }, { context: ctx });
    const sysId = h.sim.db.insert('incident', { short_description: 'gone soon' })['sys_id']!;
    await h.conn.invoke('deleteRecord', { tableName: 'incident', sysId }, { context: ctx });
    expect(ctx.payload).toBeUndefined();
    expect(ctx.getProperty('HTTP_SC', 'axis2')).toBe(204);
    expect(ctx.getProperty(RESULT_PROPERTIES.totalCount)).toBeUndefined();
    expect(ctx.getProperty(RESULT_PROPERTIES.nextLink)).toBeUndefined();
  });
});
