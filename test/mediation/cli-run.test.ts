// The `snconnect run` and `snconnect demo` commands, spawned as a user runs them (node bin/snconnect.js runs dist/).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const root = join(import.meta.dirname, '..', '..');
let sim: RunningSimulator;

beforeAll(async () => {
  // `npm test` builds first; a bare `vitest run` of this file builds only when dist/ is missing.
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'commands', 'run.js'))) {
    spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'ignore' });
  }
  sim = await startSimulator({ port: 0 });
}, 120_000);
afterAll(() => sim.close());

function cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'snconnect.js'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const creds = () => ['-p', `serviceNowInstanceURL=${sim.url}`, '-p', 'username=admin', '--property', 'password=admin'];

describe('snconnect run', () => {
  it('runs the aggregate example and prints the final payload as JSON', async () => {
    const res = await cli(['run', 'examples/incident-stats.xml', ...creds()]);
    expect(res.stderr).not.toContain('ERROR');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { query: string; groups: { priority: string; state: string; count: number }[] };
    expect(out.query).toBe('active=true');
    expect(out.groups.length).toBeGreaterThan(1);
    expect(out.groups.reduce((n, g) => n + g.count, 0)).toBe(sim.db.count('incident', 'active=true'));
    expect(res.stderr).toMatch(/INFO \d+ priority\/state group\(s\) for active=true/);
  });

  it('reads the payload from stdin with --payload - and reports per-row import results', async () => {
    const rows = { rows: [{ u_correlation_id: 'CLI-1', u_short_description: 'From "stdin"' }, { u_correlation_id: 'CLI-2' }] };
    const res = await cli(['run', 'examples/bulk-import-incidents.xml', '--payload', '-', ...creds()], JSON.stringify(rows));
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { inserted: number; errors: number; results: { status: string; record: string }[] };
    expect(out.results.map((r) => r.status)).toEqual(['inserted', 'error']);
    expect(out.inserted).toBe(1);
    expect(out.errors).toBe(1);
    expect(sim.db.list('incident', `number=${out.results[0].record}`)[0]?.short_description).toBe('From "stdin"');
  });

  it('exits 1 when the flow ends in a fault, prints the fault payload and the error, never the password', async () => {
    const res = await cli(['run', 'examples/incident-stats.xml', '-p', `serviceNowInstanceURL=${sim.url}`, '-p', 'username=admin', '-p', 'password=S3cret-value']);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({ flow: 'incident-stats', error: { code: 'AUTH_FAILED' } });
    const lastLine = res.stderr.trim().split('\n').pop()!;
    expect(JSON.parse(lastLine)).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
    expect(res.stdout + res.stderr).not.toContain('S3cret-value');
  });

  it('reports errors in the file with file and line before running, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snconnect-run-'));
    const file = join(dir, 'broken.xml');
    await writeFile(file, `<sequence name="main">\n  <property name="a" value="1"/>\n  <servicenow.getRecordz/>\n</sequence>\n`);
    sim.clearRequests();
    const res = await cli(['run', file, ...creds()]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('broken.xml:3: unknown operation <servicenow.getRecordz>');
    expect(sim.requests()).toHaveLength(0);
  });

  it('runs the sequence named by --sequence with the given properties', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snconnect-run-'));
    const file = join(dir, 'two.xml');
    await writeFile(
      file,
      `<definitions>
  <sequence name="main"><payloadFactory media-type="json"><format>{"which": "main"}</format></payloadFactory></sequence>
  <sequence name="other"><payloadFactory media-type="json"><format>{"which": "other", "greeting": "\${props.greeting}"}</format></payloadFactory></sequence>
</definitions>`,
    );
    const res = await cli(['run', file, '--sequence', 'other', '--property', 'greeting=hi=there']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ which: 'other', greeting: 'hi=there' });
    const bad = await cli(['run', file, '--sequence', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no sequence named 'nope' \(sequences: main, other\)/);
  });

  it('rejects bad options with a message', async () => {
    const res = await cli(['run', 'examples/incident-stats.xml', '--property', 'novalue']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("--property expects name=value, got 'novalue'");
    const none = await cli(['run']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Usage: snconnect run');
  });
});

describe('snconnect demo', () => {
  it('starts its own simulator and mocks, runs the four flows and the served alert walk-through, and exits 0', async () => {
    const res = await cli(['demo']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('1. Bulk-load incidents through the Import Set API');
    expect(res.stdout).toMatch(/=> 4 row\(s\): 2 inserted, 1 updated, 1 in error/);
    expect(res.stdout).toMatch(/=> 3 incident\(s\) linked to a new problem; open P1 incidents without a problem now: 0/);
    expect(res.stdout).toMatch(/New Email Account -> REQ\d{7} \(request state now: closed_complete\)\n\s+RITM\d{7}  Closed Complete\n\s+=> every item reached the target state after 3 read\(s\)/);
    // The served example: created, then updated (same number), the SOAP lookup and the chat message shown.
    const created = /HTTP 201 \{"incident":"(INC\d{7})","action":"created","host":"lnux100"/.exec(res.stdout);
    expect(created, res.stdout).not.toBeNull();
    expect(res.stdout).toContain(`HTTP 200 {"incident":"${created![1]}","action":"updated"`);
    expect(res.stdout).toContain('asset register received: POST /services/AssetRegister (SOAPAction urn:getAssetByHostname) hostname=lnux100 -> 200');
    expect(res.stdout).toContain(`chat #ops received: [critical] ${created![1]} created for lnux100 (CI lnux100, group Software): /var is 95% full`);
    expect(res.stdout).toMatch(/HTTP 422 \{"error":\{"status":422,"message":"host 'db-legacy-07' is not in the asset register"/);
    expect(res.stdout).toContain(`number: ${created![1]} | short_description: lnux100: /var is 95% full`);
    expect(res.stdout).toContain('5 of 5 flows completed');
    expect(res.stdout).not.toContain('FAILED');
  });
});
