// Acceptance of the encoded-query rule over the whole catalogue: every operation whose template places a parameter
// inside an encoded query (a <query template>, or a step's <with template> filling an encodedQuery parameter) is
// tried with the injection and its ^NQ, line-break and ORDERBY variants. Each is refused with
// INVALID_PARAMETER naming the operation and the parameter, and the simulator sees no request at all.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';
import { useSimulator } from '../invoke/support.js';

const INJECTIONS = ['nobody^ORuser_nameISNOTEMPTY', 'nobody^NQuser_nameISNOTEMPTY', 'nobody\nuser_nameISNOTEMPTY', 'nobodyORDERBYuser_name'];

/** Valid values for the other parameters of each such operation (a new one fails the first test until added). */
const VALID: Record<string, Record<string, unknown>> = {
  getRecordByField: { tableName: 'sys_user', fieldName: 'user_name', fieldValue: 'abel.tuter' },
  getRequestItems: { requestSysId: 'a'.repeat(32) },
  getChangeApprovals: { changeSysId: 'a'.repeat(32) },
  getTableSchema: { tableName: 'incident' },
};

const catalogue = await loadCatalogue();
const placed: Array<[operation: string, parameter: string]> = [];
for (const op of catalogue.operations) {
  const d = op.descriptor;
  const names = new Set<string>();
  for (const q of d.call?.queries ?? []) for (const m of (q.template ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) names.add(m[1]!);
  for (const step of d.steps?.steps ?? []) {
    const target = catalogue.find(step.operation)!;
    for (const w of step.with) {
      if (w.template === undefined || target.parameters.lookup.get(w.name)?.type !== 'encodedQuery') continue;
      for (const p of d.parameters) if (new RegExp(`\\b${p.name}\\b`).test(w.template)) names.add(p.name);
    }
  }
  for (const name of names) if (op.parameters.lookup.get(name)?.type !== 'encodedQuery') placed.push([d.name, name]);
}

const h = useSimulator();
beforeEach(() => h.sim.clearRequests());

describe('every parameter a template places inside an encoded query', () => {
  it('is known to this test (the catalogue has such operations, each with valid values here)', () => {
    expect(placed.map(([o, p]) => `${o}.${p}`)).toEqual(expect.arrayContaining(['getRecordByField.fieldValue', 'getRequestItems.requestSysId', 'getChangeApprovals.changeSysId', 'getTableSchema.tableName']));
    for (const [operation] of placed) expect(VALID, `add valid values for ${operation}`).toHaveProperty(operation);
  });

  it.each(placed)('%s: %s is refused with each injection before anything is sent', async (operation, parameter) => {
    for (const value of INJECTIONS) {
      const err = await h.conn.invoke(operation, { ...VALID[operation], [parameter]: value }).catch((e: unknown) => e);
      expect(err, `${operation} ${parameter}=${JSON.stringify(value)}`).toMatchObject({ code: 'INVALID_PARAMETER', operation, parameter });
    }
    expect(h.apiRequests()).toEqual([]);
  });

  it('the valid values do reach the simulator (the refusals above are not a broken operation)', async () => {
    for (const operation of new Set(placed.map(([o]) => o))) await h.conn.invoke(operation, VALID[operation]!).catch(() => undefined);
    expect(new Set(h.apiRequests().map((r) => r.method))).toEqual(new Set(['GET']));
    expect(h.apiRequests().length).toBeGreaterThanOrEqual(new Set(placed.map(([o]) => o)).size);
  });
});
