// Per-call overhead case: getRecords with sysparm_limit=1 through the connector's invoke() against the same
// request sent with raw undici request(), sequentially (median latency) and with 32 calls in flight (throughput).
// Both clients run in this process in alternating rounds, so that drift of a shared machine hits both alike; the
// throughput ratio is the median of the rounds' ratios (as in static-invoke.ts), so one round that a burst on the
// shared machine slowed does not decide it.
// Prints {sequential: {invokeMedianMs, rawMedianMs}, concurrent: {invokePerSecond, rawPerSecond, ratio, rounds}}.
import { Agent, request } from 'undici';
import { loadConnector } from '../../src/index.js';
import { ADMIN_AUTH, median } from '../support/child.js';

const [url, seqArg = '1200', concArg = '6000'] = process.argv.slice(2);
const SEQUENTIAL = Number(seqArg);
const CONCURRENT = Number(concArg);
const CONCURRENCY = 32;
const ROUNDS = 6;
const callsPerRound = CONCURRENT / ROUNDS;

const connector = await loadConnector();
const conn = connector.connect({ serviceNowInstanceURL: url!, username: 'admin', password: 'admin', maxConcurrency: CONCURRENCY });
const agent = new Agent({ connections: CONCURRENCY });
const rawUrl = `${url}/api/now/table/incident?sysparm_limit=1`;

async function viaInvoke(): Promise<void> {
  const res = await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 });
  if ((res.payload as { result: unknown[] }).result.length !== 1) throw new Error('invoke: expected one record');
}

async function viaRaw(): Promise<void> {
  const res = await request(rawUrl, { dispatcher: agent, headers: { authorization: ADMIN_AUTH, accept: 'application/json' } });
  if (res.statusCode !== 200) throw new Error(`raw: HTTP ${res.statusCode}`);
  if ((JSON.parse(await res.body.text()) as { result: unknown[] }).result.length !== 1) throw new Error('raw: expected one record');
}

async function sequential(call: () => Promise<void>, n: number, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    into.push(performance.now() - t);
  }
}

/** n calls with `CONCURRENCY` in flight; returns the elapsed ms. */
async function concurrent(call: () => Promise<void>, n: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        next++;
        await call();
      }
    }),
  );
  return performance.now() - t;
}

// Warm-up: connections opened, code optimised.
await sequential(viaInvoke, 200, []);
await sequential(viaRaw, 200, []);
await concurrent(viaInvoke, 1000);
await concurrent(viaRaw, 1000);

const invokeLatency: number[] = [];
const rawLatency: number[] = [];
const rounds: Array<{ invokePerSecond: number; rawPerSecond: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which client goes first in a round.
  const pair: Array<[() => Promise<void>, number[]]> = [
    [viaRaw, rawLatency],
    [viaInvoke, invokeLatency],
  ];
  if (round % 2) pair.reverse();
  for (const [call, into] of pair) await sequential(call, SEQUENTIAL / ROUNDS, into);
  let invokeMs: number;
  let rawMs: number;
  if (round % 2) {
    invokeMs = await concurrent(viaInvoke, callsPerRound);
    rawMs = await concurrent(viaRaw, callsPerRound);
  } else {
    rawMs = await concurrent(viaRaw, callsPerRound);
    invokeMs = await concurrent(viaInvoke, callsPerRound);
  }
  rounds.push({ invokePerSecond: (callsPerRound * 1000) / invokeMs, rawPerSecond: (callsPerRound * 1000) / rawMs });
}
/** All calls over the time all rounds took (each round's time: its calls over its rate). */
const perSecond = (rate: (r: (typeof rounds)[number]) => number) => CONCURRENT / rounds.reduce((seconds, r) => seconds + callsPerRound / rate(r), 0);
await conn.close();
await agent.close();
console.log(
  JSON.stringify({
    sequential: { calls: SEQUENTIAL, invokeMedianMs: median(invokeLatency), rawMedianMs: median(rawLatency) },
    concurrent: {
      calls: CONCURRENT,
      concurrency: CONCURRENCY,
      invokePerSecond: perSecond((r) => r.invokePerSecond),
      rawPerSecond: perSecond((r) => r.rawPerSecond),
      ratio: median(rounds.map((r) => r.invokePerSecond / r.rawPerSecond)),
      rounds,
    },
  }),
);
