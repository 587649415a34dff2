// Create case against a simulator with latency: COUNT incidents through the createRecords operation in one mode
// (concurrent POSTs, Batch API chunks, import-set insertMultiple chunks), the records given as a stream.
// Prints {records, ms, recordsPerSecond, peakRssMb, requests, failed}; records counts the created ones.
import { loadConnector } from '../../src/index.js';
import { peakRssMb } from '../support/child.js';

const [url, mode = 'concurrent', count = '1000', concurrency = '16', chunkSize = '50'] = process.argv.slice(2);
const n = Number(count);
const tag = `bench-${mode}-${process.pid}`;
const conn = (await loadConnector()).connect({ serviceNowInstanceURL: url!, username: 'admin', password: 'admin' });
const staged = mode === 'importSet';
function* records() {
  for (let i = 0; i < n; i++) yield staged ? { u_short_description: `bench create ${i}`, u_correlation_id: `${tag}-${i}` } : { short_description: `bench create ${i}`, correlation_id: `${tag}-${i}` };
}
const params = {
  tableName: 'incident',
  mode,
  tableNameStaging: 'u_incident_import',
  idempotencyField: staged ? 'u_correlation_id' : 'correlation_id',
  sysparmFields: 'sys_id',
  chunkSize: Number(chunkSize),
};
let failed = 0;
let firstError: string | undefined;
const started = performance.now();
for await (const r of conn.bulk('createRecords', records(), { params, concurrency: Number(concurrency) })) {
  if (!r.ok) {
    failed++;
    firstError ??= r.error.message;
  }
}
const ms = performance.now() - started;
const requests = conn.transportStats?.().requests ?? 0;
await conn.close();
console.log(JSON.stringify({ records: n - failed, ms, recordsPerSecond: ((n - failed) * 1000) / ms, peakRssMb: peakRssMb(), requests, failed, ...(firstError ? { firstError } : {}) }));
