// A sequence reads every page into a responseVariable and <foreach> iterates the records as they stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT, seq, startHarness, type Harness } from '../mediation/helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.sim.db.generate('incident', 1200);
});
afterAll(async () => {
  await h?.close();
});

describe('foreach over an all-pages read', () => {
  it('iterates every record of the table once, page by page', async () => {
    const res = await h.run(
      seq(`${INIT}
      <servicenow.getRecords>
        <tableName>incident</tableName>
        <all>true</all>
        <pageSize>250</pageSize>
        <sysparmFields>sys_id,number</sysparmFields>
        <responseVariable>incidents</responseVariable>
      </servicenow.getRecords>
      <foreach collection="\${vars.incidents.payload.result}" result-target="ids">
        <sequence><payloadFactory media-type="json"><format>"\${payload.sys_id}"</format></payloadFactory></sequence>
      </foreach>`),
    );
    expect(res.error).toBeUndefined();
    const ids = res.context.variables.get('ids') as string[];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(h.sim.db.list('incident').map((r) => r.sys_id).sort());
    // Pages of 250 were asked for, not one request for the whole table.
    expect(h.sim.requests().filter((r) => r.path === '/api/now/table/incident').length).toBeGreaterThan(ids.length / 250);
  });
});
