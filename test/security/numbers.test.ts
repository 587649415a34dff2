// The one number rule (src/number-rule.ts) for integer parameters, init settings and property conversions:
// finite, exact, decimal digits only, within the declared bounds; refused before any request, naming the
// operation and the parameter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { ConnectorError } from '../../src/errors.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connection, Connector } from '../../src/invoke/types.js';
import { parseFlow, runFlow } from '../../src/mediation/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

let sim: RunningSimulator;
let connector: Connector;
let conn: Connection;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  connector = await loadConnector();
  conn = connector.connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' });
});
afterAll(async () => {
  await conn.close();
  await sim.close();
});

function refusal(fn: () => unknown): ConnectorError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConnectorError) return err;
    throw err;
  }
  throw new Error('expected a ConnectorError');
}

const NOT_INTEGERS: unknown[] = ['Infinity', '-Infinity', '1e400', '1e3', '0x10', '0b1', '1_000', '+5', '5.0', '1.5', '  ', '99999999999999999999', true, false, Infinity, -Infinity, NaN, 1.5, 2 ** 60, {}, [3]];

describe('integer parameters', () => {
  it.each(NOT_INTEGERS.map((v) => [v]))('sysparmLimit=%s is refused with INVALID_PARAMETER naming getRecords and sysparmLimit, and nothing is sent', async (value) => {
    sim.clearRequests();
    const err = await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: value }).then(
      () => undefined,
      (e: unknown) => e as ConnectorError,
    );
    expect(err?.code).toBe('INVALID_PARAMETER');
    expect(err?.operation).toBe('getRecords');
    expect(err?.parameter).toBe('sysparmLimit');
    expect(err?.message).toMatch(/^getRecords: parameter 'sysparmLimit' /);
    expect(sim.requests()).toHaveLength(0);
  });

  it('decimal digits, with surrounding blanks, and finite numbers are accepted as before', () => {
    for (const [given, sent] of [['5', '5'], [' 7 ', '7'], [12, '12'], ['007', '7']] as const) {
      const req = conn.prepare('getRecords', { tableName: 'incident', sysparmLimit: given });
      expect(req.query).toContainEqual(['sysparm_limit', sent]);
    }
  });

  it('declared bounds still apply after the rule (sysparmLimit below its minimum)', () => {
    const err = refusal(() => conn.prepare('getRecords', { tableName: 'incident', sysparmLimit: '-3' }));
    expect(err.parameter).toBe('sysparmLimit');
  });
});

describe('init settings', () => {
  const base = () => ({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' });

  it.each([['maxRetries', 'Infinity'], ['maxRetries', Infinity], ['maxRetries', '1e1'], ['deadline', '1e400'], ['connectTimeout', '0x10'], ['bodyTimeout', true]])('%s=%s is refused naming init and the parameter', (name, value) => {
    const err = refusal(() => connector.connect({ ...base(), [name]: value }));
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.operation).toBe('init');
    expect(err.parameter).toBe(name);
  });

  it.each(['deadline', 'responseTimeout', 'connectTimeout', 'bodyTimeout', 'retryMaxDelay', 'retryInitialDelay'])('%s above 2^31-1 ms (what a Node timer holds) is refused; 2^31-1 is accepted', async (name) => {
    const err = refusal(() => connector.connect({ ...base(), [name]: String(2 ** 31) }));
    expect(err.message).toMatch(new RegExp(`init: parameter '${name}' must be <= 2147483647`));
    await connector.connect({ ...base(), [name]: String(2 ** 31 - 1) }).close();
  });
});

describe('property conversion', () => {
  it.each(['0x10', '1e3', 'Infinity'])('<property type="INTEGER"> of %s is a fault, not a number', async (value) => {
    const { flow } = parseFlow(
      `<sequence name="main" xmlns="http://ws.apache.org/ns/synapse"><property name="n" value="${value}" type="INTEGER"/></sequence>`,
      'numbers.xml',
    );
    const result = await runFlow(flow, { connector, context: new MessageContext() });
    expect(result.outcome).toBe('fault');
    expect((result.error as ConnectorError).message).toMatch(/numbers\.xml:1: property 'n': cannot convert/);
  });
});
