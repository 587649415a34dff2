// keywords="auto" on an integer parameter (getRecords' partitions): a number in its range or one of the words, from
// the library (16, 'auto'), a flow or the CLI (text). Anything else is refused naming the parameter, before a request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';
import { loadConnector, typedConnection, type Connection } from '../../src/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { copyCatalogue } from './temp-catalogue.js';

let sim: RunningSimulator;
let conn: Connection;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, generate: { incident: 120 } });
  conn = (await loadConnector()).connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' });
});
afterAll(async () => {
  await conn.close();
  await sim.close();
});

async function readAll(partitions: unknown): Promise<number> {
  const seen = new Set<unknown>();
  for await (const r of conn.stream('getRecords', { tableName: 'incident', pageSize: 25, sysparmFields: 'sys_id', partitions })) seen.add(r['sys_id']);
  return seen.size;
}

describe('an integer parameter with keywords', () => {
  it('takes a number, the number as text, and the keyword', async () => {
    const all = await readAll(undefined);
    expect(all).toBeGreaterThanOrEqual(120);
    expect(await readAll(4)).toBe(all);
    expect(await readAll('4')).toBe(all);
    expect(await readAll('auto')).toBe(all);
    let typed = 0;
    for await (const r of typedConnection(conn).stream('getRecords', { tableName: 'incident', pageSize: 25, sysparmFields: 'sys_id', partitions: 8 })) typed += r['sys_id'] ? 1 : 0;
    expect(typed).toBe(all);
  });

  it('refuses another word, a number out of range and a number the number rule refuses, naming the parameter', () => {
    sim.clearRequests();
    const refusal = (value: unknown) => {
      try {
        conn.stream('getRecords', { tableName: 'incident', partitions: value });
      } catch (err) {
        return err as { code: string; parameter?: string; message: string };
      }
      throw new Error(`partitions=${String(value)} was accepted`);
    };
    expect(refusal('many').message).toBe(`getRecords: parameter 'partitions' must be an integer written in decimal digits or 'auto' (got "many")`);
    for (const value of ['many', 'AUTO', 65, 0, '0x10', 2.5]) {
      const err = refusal(value);
      expect(err.code).toBe('INVALID_PARAMETER');
      expect(err.parameter).toBe('partitions');
    }
    expect(sim.requests()).toHaveLength(0);
  });

  it('is refused at load on a parameter that is not a number', async () => {
    const temp = copyCatalogue();
    try {
      temp.edit('operations/getRecords.xml', '<parameter name="since"', '<parameter name="since" keywords="now"');
      const err = (await loadCatalogue(temp.dir).catch((e: unknown) => e)) as { code: string; message: string };
      expect(err.code).toBe('DESCRIPTOR_ERROR');
      expect(err.message).toMatch(/^operations\/getRecords\.xml:\d+: parameter 'since': keywords are words taken instead of a number, so the type must be integer or number \(got string\)/);
    } finally {
      temp.remove();
    }
  });
});
