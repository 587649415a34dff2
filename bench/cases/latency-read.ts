// Read case against a simulator with latency: every incident, either with a hand-written sequential keyset loop
// (raw undici + JSON.parse, what the Singer tap does) or through the connector: partitioned keyset read (N ranges or
// auto; `ordered` as the 5th argument merges them in key order, checked here; `no-links` asks for reference fields
// without their link, sysparmExcludeReferenceLink; `since-ordered` reads incrementally from a time before every record,
// merged in (sys_updated_on, sys_id) order, checked here), or offset paging with N parallel ranges
// (mode offset).
// Prints {records, distinct, ms, recordsPerSecond, peakRssMb, requests}.
import { Agent } from 'undici';
import { loadConnector } from '../../src/index.js';
import { peakRssMb } from '../support/child.js';
import { DistinctKeys } from '../support/distinct-keys.js';
import { keysetPageQuery, requestPage } from '../support/keyset-loop.js';

const [url, mode = 'raw', partitions = '1', page = '2000', flag] = process.argv.slice(2);
/** The key each record must exceed the last one's by, when the read is merged in order. */
const orderKey = flag === 'ordered' ? (r: Record<string, unknown>) => r['sys_id'] as string : flag === 'since-ordered' ? (r: Record<string, unknown>) => `${r['sys_updated_on'] as string},${r['sys_id'] as string}` : undefined;
const pageSize = Number(page);
// Every case checks it received each row once (DistinctKeys: not a Set of 200,000 strings charged to the client).
const seen = new DistinctKeys();
let records = 0;
let requests = 0;
let concurrency: unknown;
/** Raw mode: ms spent decoding and parsing the pages, the one-thread work every client that wants objects does. */
let parseMs: number | undefined;
const started = performance.now();
if (mode === 'raw') {
  const agent = new Agent({ connections: 16 });
  let last = '';
  parseMs = 0;
  for (;;) {
    requests++;
    const body = await requestPage(agent, url!, keysetPageQuery(last, pageSize));
    const bytes = await body.bytes();
    const parseStarted = performance.now();
    const rows = (JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as { result: Array<Record<string, string>> }).result;
    parseMs += performance.now() - parseStarted;
    if (rows.length === 0) break;
    for (const r of rows) {
      records++;
      seen.add(r['sys_id']!);
    }
    last = rows[rows.length - 1]!['sys_id']!;
  }
  await agent.close();
} else {
  const conn = (await loadConnector()).connect({ serviceNowInstanceURL: url!, username: 'admin', password: 'admin' });
  // partitions: N ranges, or auto; offset: N offset ranges at once (parallelRanges).
  const how = mode === 'offset' ? { pagingStrategy: 'offset' as const, parallelRanges: Number(partitions) } : { partitions: partitions === 'auto' ? 'auto' : Number(partitions), ...(orderKey ? { ordered: true } : {}), ...(flag === 'since-ordered' ? { since: '2000-01-01 00:00:00' } : {}) };
  const stream = conn.stream('getRecords', { tableName: 'incident', pageSize, ...how, ...(flag === 'no-links' ? { sysparmExcludeReferenceLink: true } : {}) });
  let last = '';
  for await (const r of stream) {
    records++;
    const id = r['sys_id'] as string;
    if (orderKey) {
      const key = orderKey(r);
      if (key <= last) throw new Error(`ordered read: ${key} came after ${last}`);
      last = key;
    }
    seen.add(id);
  }
  // HTTP requests sent: retried ones (429s of a rate limit) count again.
  const stats = conn.transportStats?.();
  requests = (stats?.requests ?? 0) + (stats?.retries ?? 0);
  concurrency = stream.progress.concurrency;
  await conn.close();
}
const ms = performance.now() - started;
console.log(JSON.stringify({ records, distinct: seen.size, ms, recordsPerSecond: (records * 1000) / ms, peakRssMb: peakRssMb(), requests, ...(concurrency ? { concurrency } : {}), ...(parseMs !== undefined ? { parseMs } : {}) }));
