// The invoke client's own cost: getRecordById through the connector's invoke() against the same GET sent with raw
// undici request() + JSON.parse, 32 calls in flight, against the static server (bench/support/static-server.ts:
// pre-rendered record bodies, so the server costs nearly nothing and the client is what is measured). Both clients
// run in this process in alternating rounds, so that drift of a shared machine hits both alike.
// Prints {calls, concurrency, rounds: [{invokePerSecond, rawPerSecond}], invokePerSecond, rawPerSecond, ratio}.
import { Agent, request } from 'undici';
import { loadConnector } from '../../src/index.js';
import { median } from '../support/child.js';

const [url, callsArg = '60000', roundsArg = '6'] = process.argv.slice(2);
const CALLS = Number(callsArg);
const ROUNDS = Number(roundsArg);
const CONCURRENCY = 32;
/** Distinct records read: few enough that the static server keeps every answer rendered. */
const RECORDS = 200;

const list = await request(`${url}/api/now/table/incident?sysparm_limit=${RECORDS}&sysparm_no_count=true`);
const ids = ((await list.body.json()) as { result: Array<{ sys_id: string }> }).result.map((r) => r.sys_id);

const connector = await loadConnector();
const conn = connector.connect({ serviceNowInstanceURL: url!, username: 'admin', password: 'admin', maxConcurrency: CONCURRENCY });
const agent = new Agent({ connections: CONCURRENCY });
const auth = 'Basic ' + Buffer.from('admin:admin').toString('base64');

async function viaInvoke(sysId: string): Promise<void> {
  const res = await conn.invoke('getRecordById', { tableName: 'incident', sysId });
  if ((res.payload as { result: { sys_id: string } }).result.sys_id !== sysId) throw new Error('invoke: wrong record');
}

async function viaRaw(sysId: string): Promise<void> {
  const res = await request(`${url}/api/now/table/incident/${sysId}`, { dispatcher: agent, headers: { authorization: auth, accept: 'application/json' } });
  if (res.statusCode !== 200) throw new Error(`raw: HTTP ${res.statusCode}`);
  if ((JSON.parse(await res.body.text()) as { result: { sys_id: string } }).result.sys_id !== sysId) throw new Error('raw: wrong record');
}

/** n calls with `CONCURRENCY` in flight; returns calls per second. */
async function concurrent(call: (sysId: string) => Promise<void>, n: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await call(ids[next++ % ids.length]!);
    }),
  );
  return (n / (performance.now() - t)) * 1000;
}

// Warm-up: connections opened, code optimised.
await concurrent(viaInvoke, 3000);
await concurrent(viaRaw, 3000);

const rounds: Array<{ invokePerSecond: number; rawPerSecond: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which client goes first in a round.
  const n = CALLS / ROUNDS;
  if (round % 2) {
    const invokePerSecond = await concurrent(viaInvoke, n);
    rounds.push({ invokePerSecond, rawPerSecond: await concurrent(viaRaw, n) });
  } else {
    const rawPerSecond = await concurrent(viaRaw, n);
    rounds.push({ invokePerSecond: await concurrent(viaInvoke, n), rawPerSecond });
  }
}
await conn.close();
await agent.close();
console.log(
  JSON.stringify({
    calls: CALLS,
    concurrency: CONCURRENCY,
    rounds,
    invokePerSecond: median(rounds.map((r) => r.invokePerSecond)),
    rawPerSecond: median(rounds.map((r) => r.rawPerSecond)),
    // Each round's pair measured back to back: the median of their ratios.
    ratio: median(rounds.map((r) => r.invokePerSecond / r.rawPerSecond)),
  }),
);
