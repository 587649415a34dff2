// Paging case, the baseline: a hand-written loop with raw undici request() and JSON.parse doing the same keyset
// requests as the connector. Prints {records, ms, recordsPerSecond, peakRssMb}.
import { Agent, request } from 'undici';
import { ADMIN_AUTH } from '../support/child.js';
import { runKeysetLoop } from '../support/keyset-loop.js';

const [url, page = '10000'] = process.argv.slice(2);
const agent = new Agent({ connections: 16 });
await runKeysetLoop(
  Number(page),
  async (query) => {
    const res = await request(`${url}/api/now/table/incident?${query}`, {
      dispatcher: agent,
      headers: { authorization: ADMIN_AUTH, accept: 'application/json' },
    });
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    return (JSON.parse(await res.body.text()) as { result: Array<Record<string, unknown>> }).result;
  },
  () => agent.close(),
);
