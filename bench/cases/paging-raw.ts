// Paging case, the baseline: a hand-written loop with raw undici request() and JSON.parse doing the same keyset
// requests as the connector. Prints {records, ms, recordsPerSecond, peakRssMb}.
import { Agent } from 'undici';
import { requestPage, runKeysetLoop } from '../support/keyset-loop.js';

const [url, page = '10000'] = process.argv.slice(2);
const agent = new Agent({ connections: 16 });
await runKeysetLoop(
  Number(page),
  async (query) => {
    const body = await requestPage(agent, url!, query);
    return (JSON.parse(await body.text()) as { result: Array<Record<string, unknown>> }).result;
  },
  () => agent.close(),
);
