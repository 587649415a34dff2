// The keyset read every hand-written baseline client does (raw undici, fetch, axios): ask for the page after the
// last sys_id until a page comes back empty. Each case supplies only how it fetches and parses one page, so the
// baselines differ in their client alone. Prints {records, ms, recordsPerSecond, peakRssMb}.
import type { Agent } from 'undici';
import { request } from 'undici';
import { ADMIN_AUTH, peakRssMb } from './child.js';

type Row = Record<string, unknown>;

/** The query string (without '?') of the page after `after` ('' for the first page). */
export function keysetPageQuery(after: string, limit: number): string {
  const query = after ? `sys_id>${after}^ORDERBYsys_id` : 'ORDERBYsys_id';
  return `sysparm_query=${encodeURIComponent(query)}&sysparm_limit=${limit}&sysparm_no_count=true`;
}

export async function runKeysetLoop(limit: number, fetchPage: (query: string) => Promise<Row[]>, close?: () => Promise<void>): Promise<void> {
  const started = performance.now();
  let records = 0;
  let check = 0;
  let after = '';
  for (;;) {
    const rows = await fetchPage(keysetPageQuery(after, limit));
    if (rows.length === 0) break;
    for (const r of rows) {
      records++;
      check += (r['sys_id'] as string).length;
    }
    after = rows[rows.length - 1]!['sys_id'] as string;
  }
  const ms = performance.now() - started;
  await close?.();
  // Touching every record keeps the parse from being optimised away and proves each row arrived whole.
  if (check !== records * 32) throw new Error('a record without a 32-character sys_id');
  console.log(JSON.stringify({ records, ms, recordsPerSecond: (records * 1000) / ms, peakRssMb: peakRssMb() }));
}

/** One keyset page over raw undici, as the baselines ask for it; its body is the caller's to read. */
export async function requestPage(agent: Agent, url: string, query: string): Promise<Awaited<ReturnType<typeof request>>['body']> {
  const res = await request(`${url}/api/now/table/incident?${query}`, {
    dispatcher: agent,
    headers: { authorization: ADMIN_AUTH, accept: 'application/json' },
  });
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  return res.body;
}
