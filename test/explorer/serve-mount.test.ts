// `snconnect serve <folder> --explorer`: the explorer's pages and API under /explorer/ of the flow server, its flows
// the served folder's, requests going to an embedded simulator; the server still drains and exits 0 on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt } from '../cli/run-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const folder = mkdtempSync(join(tmpdir(), 'snconnect-serve-explorer-'));
let child: ChildProcess;
let explorerUrl: string;
let stderr = '';

beforeAll(async () => {
  if (!cliBuilt()) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before this test');
  copyFileSync(join(import.meta.dirname, 'incident-check.xml'), join(folder, 'incident-check.xml'));
  child = spawn(process.execPath, [join(ROOT, 'bin', 'snconnect.js'), 'serve', folder, '--explorer', '--port', '0', '--no-access-log'], { cwd: ROOT, env: { ...process.env, SN_INSTANCE_URL: '' } });
  explorerUrl = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /explorer: (http:\/\/\S+\/explorer\/)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
  });
}, 30_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

describe('serve --explorer', () => {
  it('serves the page, the catalogue, the served folder as flows, and sends to the embedded simulator', async () => {
    const bare = await fetch(explorerUrl.slice(0, -1), { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/explorer/');
    const page = await fetch(explorerUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="web/app.js">');
    expect((await fetch(`${explorerUrl}web/app.js`)).headers.get('content-type')).toContain('text/javascript');
    const catalogue = (await (await fetch(`${explorerUrl}api/catalogue`)).json()) as { connection: { embeddedSimulator: boolean }; flows: boolean };
    expect(catalogue.connection.embeddedSimulator).toBe(true);
    expect(catalogue.flows).toBe(true);
    const flows = (await (await fetch(`${explorerUrl}api/flows`)).json()) as { flows: { file: string }[] };
    expect(flows.flows.map((f) => f.file)).toEqual(['incident-check.xml']);
    const sent = await fetch(`${explorerUrl}api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operation: 'getRecords', params: { tableName: 'incident', sysparmLimit: '2' } }) });
    const body = (await sent.json()) as { result: { status: number; payload: { result: unknown[] } } };
    expect(body.result.status).toBe(200);
    expect(body.result.payload.result).toHaveLength(2);
    // The API refuses a request that is not JSON (a cross-site form cannot drive it).
    const form = await fetch(`${explorerUrl}api/send`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'operation=getRecords' });
    expect(form.status).toBe(400);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
