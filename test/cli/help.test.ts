// `snconnect --help` lists every sub-command with its one-line summary, and an unknown command gets the same list.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// Each file under src/cli/commands/ that has a run() is a command, except the helpers named here.
const HELPERS = new Set(['read.ts', 'binary-io.ts', 'cli-support.ts']);
const COMMANDS = readdirSync(new URL('../../src/cli/commands/', import.meta.url)).filter((f) => f.endsWith('.ts') && !HELPERS.has(f)).map((f) => f.slice(0, -3));

describe('snconnect --help', () => {
  it('lists every command with its summary and exits 0', async () => {
    const res = await runCli(['--help']);
    expect(res.code).toBe(0);
    for (const name of COMMANDS) expect(res.stdout).toMatch(new RegExp(`^  ${name} +\\S.{10,}$`, 'm'));
  });

  it('names the commands after an unknown one and exits 1', async () => {
    const res = await runCli(['serv']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("unknown command 'serv'");
    expect(res.stderr).toMatch(/^  serve +Serve APIs/m);
  });
});
