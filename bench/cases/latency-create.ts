// Create case against a simulator with latency: COUNT incidents through postRecord with idempotencyField, one at a
// time (await each) or with conn.bulk() at a given concurrency. Prints {records, ms, recordsPerSecond, peakRssMb,
// requests, failed}.
import { loadConnector } from '../../src/index.js';
import { peakRssMb } from '../support/child.js';

const [url, mode = 'one', count = '100', concurrency = '16'] = process.argv.slice(2);
const n = Number(count);
const tag = `bench-${mode}-${process.pid}`;
const conn = (await loadConnector()).connect({ serviceNowInstanceURL: url!, username: 'admin', password: 'admin' });
const params = { tableName: 'incident', idempotencyField: 'correlation_id', sysparmFields: 'sys_id' };
const payload = (i: number) => ({ payload: { short_description: `bench create ${i}`, correlation_id: `${tag}-${i}` } });
let failed = 0;
const started = performance.now();
if (mode === 'one') {
  for (let i = 0; i < n; i++) {
    try {
      await conn.invoke('postRecord', { ...params, ...payload(i) });
    } catch {
      failed++;
    }
  }
} else {
  function* items() {
    for (let i = 0; i < n; i++) yield payload(i);
  }
  for await (const r of conn.bulk('postRecord', items(), { params, concurrency: Number(concurrency) })) if (!r.ok) failed++;
}
const ms = performance.now() - started;
const requests = conn.transportStats?.().requests ?? 0;
await conn.close();
console.log(JSON.stringify({ records: n - failed, ms, recordsPerSecond: ((n - failed) * 1000) / ms, peakRssMb: peakRssMb(), requests, failed }));
