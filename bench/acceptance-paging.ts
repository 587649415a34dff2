// Acceptance check of the all-pages read (issue: large tables), at full size:
//   snconnect invoke getRecords tableName=incident all=true --format ndjson
// against a simulator holding 1,000,000 incidents (a child process), three times:
//   1. plain: exactly one line per row, each sys_id once;
//   2. row ACLs (user itil: the simulator hides a share of rows after the limit, so pages come back short):
//      exactly the visible rows, each once;
//   3. while another client inserts and deletes rows: no sys_id twice, every row that existed throughout present.
// The CLI's resident memory is sampled during each read (Linux /proc) to show it stays flat.
// Run: npm run build && node dist/bench/acceptance-paging.js      (ROWS=100000 for a quicker look)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { stableFraction } from '../src/simulator/rng.js';
import { ADMIN_AUTH, ROOT, startSimulatorProcess } from './support/child.js';

const ROWS = Number(process.env['ROWS'] ?? 1_000_000);
const SEED = 1;
const ACL_HIDE_RATE = 0.25;
const BIN = fileURLToPath(new URL('../../bin/snconnect.js', import.meta.url));

interface ReadResult {
  ids: string[];
  code: number;
  stderr: string;
  rssSamplesMb: number[];
  seconds: number;
}

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

/** Runs the CLI read, collecting the sys_id of every line and sampling the CLI's RSS. */
function cliRead(url: string, user: string): Promise<ReadResult> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'invoke', 'getRecords', 'tableName=incident', 'all=true', '--format', 'ndjson', `serviceNowInstanceURL=${url}`, `username=${user}`, `password=${user}`],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ids: string[] = [];
  const rssSamplesMb: number[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const sampler = setInterval(() => {
    const mb = rssOf(child.pid);
    if (mb !== undefined) rssSamplesMb.push(mb);
  }, 250);
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    // Cheap: the sys_id is one field of the line; a full JSON.parse of every line is checked on a sample.
    const at = line.indexOf('"sys_id":"');
    // A copy, not a slice: a slice would keep the whole line alive (3 x 1,000,000 lines would not fit).
    ids.push(at < 0 ? '' : Buffer.from(line.slice(at + 10, at + 42), 'latin1').toString('latin1'));
    if (ids.length % 100_000 === 1) JSON.parse(line);
  });
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearInterval(sampler);
      resolve({ ids, code: code ?? 1, stderr, rssSamplesMb, seconds: (performance.now() - started) / 1000 });
    });
  });
}

function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function memoryLine(r: ReadResult): string {
  const s = r.rssSamplesMb;
  if (s.length === 0) return 'RSS not sampled (no /proc)';
  const at = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))]!.toFixed(0);
  return `CLI RSS at 10% / 50% / 90% of the read: ${at(0.1)} / ${at(0.5)} / ${at(0.9)} MB, peak ${Math.max(...s).toFixed(0)} MB`;
}

function report(name: string, r: ReadResult): void {
  console.log(`${name}: ${r.ids.length.toLocaleString('en')} lines in ${r.seconds.toFixed(1)} s; ${memoryLine(r)}`);
  check(r.code === 0, `exit code 0${r.code === 0 ? '' : ` (got ${r.code}: ${r.stderr.slice(0, 300)})`}`);
  check(new Set(r.ids).size === r.ids.length, 'every sys_id once');
  check(r.ids.every((id) => /^[0-9a-f]{32}$/.test(id)), 'every line is a record with a sys_id');
  if (r.rssSamplesMb.length > 0) check(Math.max(...r.rssSamplesMb) < 150, 'CLI RSS stays under 150 MB');
}

async function main(): Promise<void> {
  console.log(`simulator with ${ROWS.toLocaleString('en')} generated incidents (child process)...`);
  const sim = await startSimulatorProcess(['--generate', `incident=${ROWS}`, '--seed', String(SEED), '--acl-hide-rate', String(ACL_HIDE_RATE)]);
  const agent = new Agent({ connections: 4 });
  const api = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
    const res = await request(sim.url + path, {
      method,
      dispatcher: agent,
      headers: { authorization: ADMIN_AUTH, accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };
  try {
    const stats = await api('GET', '/api/now/stats/incident?sysparm_count=true');
    const total = Number(((stats.json!['result'] as { stats: { count: string } }).stats).count);

    const plain = await cliRead(sim.url, 'admin');
    report('1. plain read', plain);
    check(plain.ids.length === total, `exactly ${total.toLocaleString('en')} lines (the table's row count)`);
    const before = new Set(plain.ids);

    const acl = await cliRead(sim.url, 'itil');
    report('2. read as itil with row ACLs (short pages)', acl);
    const visible = plain.ids.filter((id) => stableFraction(id, SEED) >= ACL_HIDE_RATE);
    const aclSet = new Set(acl.ids);
    check(acl.ids.length === visible.length && visible.every((id) => aclSet.has(id)), `exactly the ${visible.length.toLocaleString('en')} rows the ACL leaves visible`);

    // 3. Another client inserts and deletes rows while the CLI reads.
    const deleted = new Set<string>();
    const inserted = new Set<string>();
    let reading = true;
    const all = plain.ids;
    const churn = (async () => {
      for (let i = 0; reading; i++) {
        const victim = all[(i * 7919) % all.length]!;
        if ((await api('DELETE', `/api/now/table/incident/${victim}`)).status === 204) deleted.add(victim);
        const created = await api('POST', '/api/now/table/incident', { short_description: `inserted during the acceptance read ${i}` });
        if (created.status === 201) inserted.add((created.json!['result'] as { sys_id: string }).sys_id);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const changing = await cliRead(sim.url, 'admin');
    reading = false;
    await churn;
    report(`3. read while another client deleted ${deleted.size} and inserted ${inserted.size} rows`, changing);
    const got = new Set(changing.ids);
    let missing = 0;
    for (const id of before) if (!deleted.has(id) && !got.has(id)) missing++;
    check(missing === 0, `every row that existed throughout is there (${missing} missing)`);
    check(
      changing.ids.every((id) => before.has(id) || inserted.has(id)),
      'no row that never existed',
    );
  } finally {
    await agent.close();
    await sim.stop();
  }
  console.log(failures.length === 0 ? '\nacceptance: all checks passed' : `\nacceptance: ${failures.length} check(s) FAILED`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
