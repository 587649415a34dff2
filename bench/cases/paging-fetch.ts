// Paging case, a typical hand-written client: node's fetch and res.json(), same keyset requests.
// Prints {records, ms, recordsPerSecond, peakRssMb}.
import { ADMIN_AUTH } from '../support/child.js';
import { runKeysetLoop } from '../support/keyset-loop.js';

const [url, page = '10000'] = process.argv.slice(2);
await runKeysetLoop(Number(page), async (query) => {
  const res = await fetch(`${url}/api/now/table/incident?${query}`, { headers: { authorization: ADMIN_AUTH, accept: 'application/json' } });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return ((await res.json()) as { result: Array<Record<string, unknown>> }).result;
});
