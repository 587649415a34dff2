// Prototype pollution: no sequence, parameter or command-line name can write through __proto__, constructor or
// prototype. Object.prototype must have no new member after each attempt, and every later call must still work.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext, writeAtPath } from '../../src/context/index.js';
import { parseJsonPath } from '../../src/context/json-path.js';
import { ConnectorError } from '../../src/errors.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { parseFlow, prepareFlow, runFlow } from '../../src/mediation/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli } from '../cli/run-cli.js';

let sim: RunningSimulator;
let connector: Connector;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  connector = await loadConnector();
});
afterAll(() => sim.close());

const before = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => {
  // Clean up first, so that one failure does not cascade into every later test; then fail if anything leaked.
  const leaked = Object.getOwnPropertyNames(Object.prototype).filter((k) => !before.includes(k));
  for (const k of leaked) delete (Object.prototype as Record<string, unknown>)[k];
  expect(leaked).toEqual([]);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

const HOSTILE_TARGETS = ['json-eval($.__proto__.polluted)', "json-eval($['__proto__'].polluted)", '${payload.__proto__.polluted}', 'json-eval($.a.__proto__.polluted)', 'json-eval($.constructor.prototype.polluted)'];

function enrichFlow(target: string): string {
  return `<sequence name="main" xmlns="http://ws.apache.org/ns/synapse">
  <enrich>
    <source type="inline" clone="true">{"yes": true}</source>
    <target type="custom" xpath="${target.replace(/"/g, '&quot;')}"/>
  </enrich>
</sequence>`;
}

describe('writing through a prototype key', () => {
  it.each(HOSTILE_TARGETS)('an <enrich> target %s is refused when the file is loaded, with its line', (target) => {
    expect(() => prepareFlow(enrichFlow(target), 'hostile.xml', connector)).toThrow(/hostile\.xml.*line 4|hostile\.xml:4/s);
  });

  it.each(HOSTILE_TARGETS)('the same <enrich> target %s is refused at run time if the load check is bypassed', async (target) => {
    const { flow } = parseFlow(enrichFlow(target), 'hostile.xml');
    const context = new MessageContext({ payload: { a: {} } });
    const result = await runFlow(flow, { connector, context });
    expect(result.outcome).toBe('fault');
    expect(result.error).toBeInstanceOf(ConnectorError);
    expect((result.error as ConnectorError).message).toMatch(/is not allowed as a key/);
  });

  it('the path writer refuses every prototype key and leaves ordinary writes alone', () => {
    for (const path of ['$.__proto__.x', "$['__proto__']", '$.constructor.prototype.x', '$.a.prototype', '$.a.b.__proto__']) {
      expect(() => writeAtPath({ a: { b: {} } }, parseJsonPath(path), () => 1, 'test')).toThrow(/is not allowed as a key/);
    }
    const target: Record<string, unknown> = {};
    writeAtPath(target, parseJsonPath('$.a.b'), () => 1, 'test');
    expect(target).toEqual({ a: { b: 1 } });
    // An own "__proto__" member from JSON.parse is data, and still cannot be walked through.
    const parsed = JSON.parse('{"__proto__": {"x": 1}}') as object;
    expect(() => writeAtPath(parsed, parseJsonPath('$.__proto__.x'), () => 2, 'test')).toThrow(ConnectorError);
  });

  it('an index far past the end of an array is refused instead of growing a huge sparse array', () => {
    const target = { list: [1, 2] };
    expect(() => writeAtPath(target, parseJsonPath('$.list[999999999]'), () => 3, 'test')).toThrow();
    writeAtPath(target, parseJsonPath('$.list[2]'), () => 3, 'test');
    expect(target.list).toEqual([1, 2, 3]);
  });
});

describe('parameter names', () => {
  it('an own __proto__ parameter (from JSON or a null-prototype record) is refused with INVALID_PARAMETER naming the operation', () => {
    const conn = connector.connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' });
    const given = JSON.parse('{"tableName": "incident", "__proto__": {"polluted": 1}}') as Record<string, unknown>;
    const err = (() => {
      try {
        conn.prepare('getRecords', given);
      } catch (e) {
        return e as ConnectorError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('INVALID_PARAMETER');
    expect(err?.operation).toBe('getRecords');
    expect(err?.message).toMatch(/'__proto__' is not allowed as a parameter name/);
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { tableName: 'incident', constructor: 'x' });
    expect(() => conn.prepare('getRecords', nullProto)).toThrow(/'constructor' is not allowed/);
    return conn.close();
  });

  it('inherited members are never taken for parameters (binding reads own keys only)', async () => {
    const conn = connector.connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' });
    const given = Object.create({ polluted: 'x' }) as Record<string, unknown>;
    given['tableName'] = 'incident';
    given['sysparmLimit'] = '1';
    const { payload } = await conn.invoke('getRecords', given);
    expect((payload as { result: unknown[] }).result).toHaveLength(1);
    await conn.close();
  });

  it('a message property named __proto__ is refused, not dropped', () => {
    const properties = JSON.parse('{"__proto__": "x"}') as Record<string, unknown>;
    expect(() => new MessageContext({ properties })).toThrow(/'__proto__' is not allowed as a property name/);
  });

  it('snconnect invoke ... __proto__=x and snconnect run -p __proto__=x are refused with INVALID_PARAMETER', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snconnect-pollution-'));
    const file = join(dir, 'flow.xml');
    await writeFile(file, '<sequence name="main" xmlns="http://ws.apache.org/ns/synapse"><log level="simple"/></sequence>');
    // Both commands at once: they are independent processes.
    const [invoke, run] = await Promise.all([
      runCli(['invoke', 'getRecords', 'tableName=incident', '__proto__=x', '--dry-run'], { SN_INSTANCE_URL: sim.url, SN_USERNAME: 'admin', SN_PASSWORD: 'admin' }),
      runCli(['run', file, '-p', '__proto__=x']),
    ]);
    expect(invoke.code).toBe(1);
    expect(firstJsonLine(invoke.stderr)).toMatchObject({ code: 'INVALID_PARAMETER', parameter: '__proto__' });
    expect(run.code).toBe(1);
    expect(firstJsonLine(run.stderr)).toMatchObject({ code: 'INVALID_PARAMETER', parameter: '__proto__' });
  });
});

function firstJsonLine(text: string): unknown {
  const line = text.split('\n').find((l) => l.startsWith('{'));
  return line === undefined ? undefined : JSON.parse(line);
}
