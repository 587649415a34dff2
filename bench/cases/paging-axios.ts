// Paging case, the most common hand-written Node client: axios with its default JSON parsing, same keyset requests.
// (The axios-based `servicenow-rest-api` package hard-codes https:// in every URL and cannot be pointed
// at a local simulator, so plain axios stands in for it.) Prints {records, ms, recordsPerSecond, peakRssMb}.
import axios from 'axios';
import { ADMIN_AUTH, peakRssMb } from '../support/child.js';

const [url, page = '10000'] = process.argv.slice(2);
const limit = Number(page);
const client = axios.create({ baseURL: url, headers: { authorization: ADMIN_AUTH, accept: 'application/json' } });
const started = performance.now();
let records = 0;
let check = 0;
let after = '';
for (;;) {
  const query = after ? `sys_id>${after}^ORDERBYsys_id` : 'ORDERBYsys_id';
  const res = await client.get<{ result: Array<Record<string, unknown>> }>('/api/now/table/incident', {
    params: { sysparm_query: query, sysparm_limit: limit, sysparm_no_count: true },
  });
  const rows = res.data.result;
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
