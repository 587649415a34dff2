// Paging case, the most common hand-written Node client: axios with its default JSON parsing, same keyset requests.
// (The axios-based `servicenow-rest-api` package hard-codes https:// in every URL and cannot be pointed at a local
// simulator, so plain axios stands in for it.) Prints {records, ms, recordsPerSecond, peakRssMb}.
import axios from 'axios';
import { ADMIN_AUTH } from '../support/child.js';
import { runKeysetLoop } from '../support/keyset-loop.js';

const [url, page = '10000'] = process.argv.slice(2);
const client = axios.create({ baseURL: url, headers: { authorization: ADMIN_AUTH, accept: 'application/json' } });
await runKeysetLoop(Number(page), async (query) => {
  const res = await client.get<{ result: Array<Record<string, unknown>> }>(`/api/now/table/incident?${query}`);
  return res.data.result;
});
