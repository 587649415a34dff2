// Paging case: every incident through the connector's all-pages stream (keyset, one page of PAGE records at a
// time). Prints {records, distinct, ms, recordsPerSecond, peakRssMb}.
import { loadConnector } from '../../src/index.js';
import { peakRssMb } from '../support/child.js';

const [url, page = '10000', prefetch = 'false'] = process.argv.slice(2);
const connector = await loadConnector();
const conn = connector.connect({ serviceNowInstanceURL: url!, username: 'admin', password: 'admin' });
const started = performance.now();
let records = 0;
let check = 0;
for await (const r of conn.stream('getRecords', { tableName: 'incident', pageSize: Number(page), prefetch: prefetch === 'true' })) {
  records++;
  // Touch every record as a consumer would, so that nothing is optimised away.
  check += (r['sys_id'] as string).length;
}
const ms = performance.now() - started;
await conn.close();
if (check !== records * 32) throw new Error('a record without a 32-character sys_id');
console.log(JSON.stringify({ records, ms, recordsPerSecond: (records * 1000) / ms, peakRssMb: peakRssMb() }));
