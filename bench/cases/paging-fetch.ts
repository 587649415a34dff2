// Paging case, a typical hand-written client: node's fetch and res.json(), same keyset requests.
// Prints {records, ms, recordsPerSecond, peakRssMb}.
import { ADMIN_AUTH, peakRssMb } from '../support/child.js';

const [url, page = '10000'] = process.argv.slice(2);
const limit = Number(page);
const started = performance.now();
let records = 0;
let check = 0;
let after = '';
for (;;) {
  const query = after ? `sys_id>${after}^ORDERBYsys_id` : 'ORDERBYsys_id';
  const res = await fetch(`${url}/api/now/table/incident?sysparm_query=${encodeURIComponent(query)}&sysparm_limit=${limit}&sysparm_no_count=true`, {
    headers: { authorization: ADMIN_AUTH, accept: 'application/json' },
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const rows = ((await res.json()) as { result: Array<Record<string, unknown>> }).result;
  if (rows.length === 0) break;
  for (const r of rows) {
    records++;
    check += (r['sys_id'] as string).length;
  }
  after = rows[rows.length - 1]!['sys_id'] as string;
}
const ms = performance.now() - started;
if (check !== records * 32) throw new Error('a record without a 32-character sys_id');
console.log(JSON.stringify({ records, ms, recordsPerSecond: (records * 1000) / ms, peakRssMb: peakRssMb() }));
