// Spawns the real `snconnect` command (bin/snconnect.js runs dist/, rebuilt before the tests when it is older than
// src/ or the catalogue: test/support/build-if-stale.ts, vitest's global setup).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/snconnect.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliBuilt(): boolean {
  return existsSync(new URL('../../dist/src/cli/main.js', import.meta.url));
}

/**
 * Asynchronous on purpose: the simulator the command talks to runs in this very process. `nodeFlags` go to node
 * before the script (`--trace-wasm-compilation-times`).
 */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, nodeFlags: string[] = []): Promise<CliResult> {
  if (!cliBuilt()) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does it) before the CLI tests');
  const childEnv: Record<string, string | undefined> = { ...process.env, SN_INSTANCE_URL: undefined, SN_USERNAME: undefined, SN_PASSWORD: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeFlags, BIN, ...args], { cwd: ROOT, env: childEnv as NodeJS.ProcessEnv, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
