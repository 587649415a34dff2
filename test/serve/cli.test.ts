// `snconnect serve` as a user runs it (node bin/snconnect.js, dist/): serves a WSO2 MI project folder, answers,
// and on SIGTERM drains and exits 0; a file with an unknown artifact kind stops the start with file and line
// unless --lenient.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const root = join(import.meta.dirname, '..', '..');
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());

function serve(args: string[]) {
  const child = spawn(process.execPath, [join(root, 'bin', 'snconnect.js'), 'serve', ...args], { cwd: root });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', () => {
      const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
  });
  listening.catch(() => undefined); // a start that fails is awaited through `exited`
  return { child, listening, exited, stderr: () => stderr };
}

describe('snconnect serve', () => {
  it('serves a folder, logs an access line per request without secrets, and exits 0 on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snconnect-serve-'));
    await writeFile(
      join(dir, 'api.xml'),
      `<api name="Count" context="/count" xmlns="http://ws.apache.org/ns/synapse">
  <resource methods="GET" uri-template="/{table}">
    <inSequence>
      <servicenow.init><serviceNowInstanceURL>{$ctx:url}</serviceNowInstanceURL><username>admin</username><password>{$ctx:pw}</password></servicenow.init>
      <servicenow.getRecords><tableName>{$ctx:uri.var.table}</tableName><sysparmLimit>1</sysparmLimit></servicenow.getRecords>
      <respond/>
    </inSequence>
  </resource>
</api>`,
    );
    const s = serve([dir, '--port', '0', '-p', `url=${sim.url}`, '-p', 'pw=admin']);
    const url = await s.listening;
    const res = await fetch(`${url}/count/incident?password=admin`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: unknown[] }).result).toHaveLength(1);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toMatch(/GET \/count\/incident 200 .* Count "GET \/\{table\}" id=/);
    expect(s.stderr()).toContain('SIGTERM: draining');
    expect(s.stderr()).not.toContain('password=admin');
  });

  it('an unknown artifact kind stops the start with file and line; --lenient serves the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snconnect-serve-'));
    await writeFile(join(dir, 'odd.xml'), `<?xml version="1.0"?>\n<cache name="x"/>\n`);
    await writeFile(join(dir, 'ok.xml'), `<api name="Ok" context="/ok"><resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource></api>`);
    const strict = serve([dir, '--port', '0']);
    expect(await strict.exited).toBe(1);
    expect(strict.stderr()).toMatch(/odd\.xml:2: unknown artifact kind <cache>/);
    const lenient = serve([dir, '--port', '0', '--lenient']);
    const url = await lenient.listening;
    expect((await fetch(`${url}/ok/`)).status).toBe(200);
    lenient.child.kill('SIGTERM');
    expect(await lenient.exited).toBe(0);
  });
});
