// Binary bodies on the command line: upload from @file, download to --output and to stdout, byte for byte.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli } from '../cli/run-cli.js';

let sim: RunningSimulator;
let init: string[];
const dir = mkdtempSync(join(tmpdir(), 'snconnect-attach-'));
const BYTES = randomBytes(20_000);

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  init = [`serviceNowInstanceURL=${sim.url}`, 'username=admin', 'password=admin'];
  writeFileSync(join(dir, 'photo.bin'), BYTES);
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** runCli reads stdout as text; a binary download needs the raw bytes. */
function runCliBytes(args: string[]): Promise<{ code: number; stdout: Buffer }> {
  const bin = fileURLToPath(new URL('../../bin/snconnect.js', import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'buffer', timeout: 20_000 }, (error, stdout) => resolve({ code: error ? 1 : 0, stdout }));
  });
}

describe('snconnect invoke with attachments', () => {
  it('uploads content=@file, then downloads it with --output and to stdout, byte for byte', async () => {
    const incident = sim.db.list('incident')[0]!.sys_id!;
    const up = await runCli(['invoke', 'uploadAttachment', 'tableName=incident', `tableSysId=${incident}`, 'fileName=photo.bin', 'contentType=application/octet-stream', `content=@${join(dir, 'photo.bin')}`, ...init]);
    expect(up.stderr).toBe('');
    const meta = (JSON.parse(up.stdout) as { result: Record<string, string> }).result;
    expect(meta['size_bytes']).toBe(String(BYTES.length));

    const out = join(dir, 'copy.bin');
    const down = await runCli(['invoke', 'downloadAttachment', `sysId=${meta['sys_id']}`, '--output', out, ...init]);
    expect(down).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out).equals(BYTES)).toBe(true);

    const piped = await runCliBytes(['invoke', 'downloadAttachment', `sysId=${meta['sys_id']}`, ...init]);
    expect(piped.code).toBe(0);
    expect(piped.stdout.equals(BYTES)).toBe(true);
  });

  it('a missing @file is an error naming the parameter; nothing is sent', async () => {
    sim.clearRequests();
    const incident = sim.db.list('incident')[0]!.sys_id!;
    const res = await runCli(['invoke', 'uploadAttachment', 'tableName=incident', `tableSysId=${incident}`, 'fileName=a', 'contentType=text/plain', `content=@${join(dir, 'missing.bin')}`, ...init]);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr)).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'content' });
    expect(sim.requests()).toEqual([]);
  });
});
