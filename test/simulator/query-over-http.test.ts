// Every encoded-query operator through the Table API, checked against a plain JavaScript filter of the same rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RecordValues, type RunningSimulator } from '../../src/simulator/index.js';
import { call } from './http.js';

let sim: RunningSimulator;
let rows: RecordValues[];
let userName: Map<string, string>;
beforeAll(async () => {
  sim = await startSimulator({ seed: 13 });
  rows = sim.db.list('incident');
  userName = new Map(sim.db.list('sys_user').map((u) => [u.sys_id, u.name]));
});
afterAll(() => sim.close());

const has = (text: string, part: string) => text.toLowerCase().includes(part.toLowerCase());

const cases: [string, (r: RecordValues) => boolean][] = [
  ['priority=1', (r) => r.priority === '1'],
  ['priority!=1', (r) => r.priority !== '1'],
  ['priority<3', (r) => r.priority < '3'],
  ['priority<=3', (r) => r.priority <= '3'],
  ['priority>3', (r) => r.priority > '3'],
  ['priority>=3', (r) => r.priority >= '3'],
  ['short_descriptionLIKEvpn', (r) => has(r.short_description, 'vpn')],
  ['short_descriptionNOT LIKEvpn', (r) => !has(r.short_description, 'vpn')],
  ['short_descriptionSTARTSWITHUnable', (r) => r.short_description.startsWith('Unable')],
  ['short_descriptionENDSWITHfloor', (r) => r.short_description.endsWith('floor')],
  ['categoryINnetwork,database', (r) => ['network', 'database'].includes(r.category)],
  ['categoryNOT INnetwork,database', (r) => !['network', 'database'].includes(r.category)],
  ['assigned_toISEMPTY', (r) => r.assigned_to === ''],
  ['assigned_toISNOTEMPTY', (r) => r.assigned_to !== ''],
  ['correlation_idANYTHING', () => true],
  ['sys_created_onBETWEEN2025-01-07 00:00:00@2025-01-08 00:00:00', (r) => r.sys_created_on >= '2025-01-07 00:00:00' && r.sys_created_on <= '2025-01-08 00:00:00'],
  ['impactSAMEASurgency', (r) => r.impact === r.urgency],
  ['impactNSAMEASurgency', (r) => r.impact !== r.urgency],
  ['caller_id.name=Abel Tuter', (r) => userName.get(r.caller_id) === 'Abel Tuter'],
  ['active=true^priority=1^ORpriority=2', (r) => r.active === 'true' && (r.priority === '1' || r.priority === '2')],
  ['category=network^NQcategory=database^priority=1', (r) => r.category === 'network' || (r.category === 'database' && r.priority === '1')],
];

describe('encoded queries over HTTP', () => {
  it.each(cases)('%s', async (query, predicate) => {
    const r = await call(sim.url, `/api/now/table/incident?sysparm_limit=1000&sysparm_fields=number&sysparm_query=${encodeURIComponent(query)}`);
    expect(r.status).toBe(200);
    const got = r.json.result.map((x: { number: string }) => x.number).sort();
    const expected = rows.filter(predicate).map((x) => x.number).sort();
    // Each case selects some rows but not all of them, except ANYTHING, so the comparison means something.
    expect(expected.length).toBeGreaterThan(0);
    if (!query.includes('ANYTHING')) expect(expected.length).toBeLessThan(rows.length);
    expect(got).toEqual(expected);
    expect(Number(r.headers.get('x-total-count'))).toBe(expected.length);
  });

  it('orders with ORDERBY and ORDERBYDESC, several terms allowed', async () => {
    const r = await call(sim.url, `/api/now/table/incident?sysparm_limit=1000&sysparm_fields=number,priority&sysparm_query=${encodeURIComponent('ORDERBYpriority^ORDERBYDESCnumber')}`);
    const got = r.json.result as { number: string; priority: string }[];
    const expected = [...rows].sort((a, b) => a.priority.localeCompare(b.priority) || b.number.localeCompare(a.number)).map((x) => ({ number: x.number, priority: x.priority }));
    expect(got).toEqual(expected);
  });
});
