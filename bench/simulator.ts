// Simulator throughput: generate 1,000,000 incidents, then page through all of them with sysparm_limit=1000
// using raw undici, by offset (what Link's next does) and by keyset (sys_id>X^ORDERBYsys_id).
// Run: npm run bench:simulator   (ROWS=200000 to try a smaller table)
import { Agent, request } from 'undici';
import { startSimulator } from '../src/simulator/index.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const LIMIT = 1000;
const AUTH = 'Basic ' + Buffer.from('admin:admin').toString('base64');

interface PassResult {
  records: number;
  pages: number;
  ms: number;
  bytes: number;
}

async function main(): Promise<void> {
  const sim = await startSimulator({ seed: 1 });
  const seeded = sim.db.count('incident');
  const genStart = performance.now();
  sim.db.generate('incident', ROWS);
  const genMs = performance.now() - genStart;
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  const total = sim.db.count('incident');
  console.log(`generated ${ROWS.toLocaleString('en')} incidents in ${(genMs / 1000).toFixed(2)} s (table now ${total.toLocaleString('en')} rows, heap ${heapMb.toFixed(0)} MB)`);

  const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  const get = async (path: string): Promise<{ body: string; status: number }> => {
    const res = await request(sim.url + path, { dispatcher: agent, headers: { authorization: AUTH, accept: 'application/json' } });
    return { status: res.statusCode, body: await res.body.text() };
  };

  const byOffset = async (): Promise<PassResult> => {
    const started = performance.now();
    let records = 0;
    let pages = 0;
    let bytes = 0;
    for (let offset = 0; offset < total; offset += LIMIT) {
      const { body, status } = await get(`/api/now/table/incident?sysparm_limit=${LIMIT}&sysparm_offset=${offset}`);
      if (status !== 200) throw new Error(`page at ${offset}: HTTP ${status}`);
      records += (JSON.parse(body) as { result: unknown[] }).result.length;
      bytes += body.length;
      pages++;
    }
    return { records, pages, bytes, ms: performance.now() - started };
  };

  const byKeyset = async (): Promise<PassResult> => {
    const started = performance.now();
    let records = 0;
    let pages = 0;
    let bytes = 0;
    let after = '';
    for (;;) {
      const query = encodeURIComponent(after ? `sys_id>${after}^ORDERBYsys_id` : 'ORDERBYsys_id');
      const { body, status } = await get(`/api/now/table/incident?sysparm_limit=${LIMIT}&sysparm_query=${query}&sysparm_no_count=true`);
      if (status !== 200) throw new Error(`keyset page after ${after}: HTTP ${status}`);
      const rows = (JSON.parse(body) as { result: { sys_id: string }[] }).result;
      records += rows.length;
      bytes += body.length;
      pages++;
      if (rows.length < LIMIT) break;
      after = rows[rows.length - 1].sys_id;
    }
    return { records, pages, bytes, ms: performance.now() - started };
  };

  for (const [name, pass] of [
    ['offset paging', byOffset],
    ['keyset paging', byKeyset],
  ] as const) {
    const r = await pass();
    if (r.records !== total) throw new Error(`${name}: read ${r.records} records, expected ${total}`);
    const s = r.ms / 1000;
    console.log(
      `${name.padEnd(14)} ${r.records.toLocaleString('en')} records in ${r.pages} pages of ${LIMIT}: ${s.toFixed(2)} s, ` +
        `${Math.round(r.records / s).toLocaleString('en')} records/s, ${(r.pages / s).toFixed(1)} pages/s, ${(r.bytes / 1e6 / s).toFixed(1)} MB/s`,
    );
  }
  console.log(`(seed rows included: ${seeded}; client and server share one process and one core)`);
  await agent.close();
  await sim.close();
}

await main();
