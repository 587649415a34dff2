// One-shot commands keep undici's WebAssembly HTTP parser on V8's baseline compiler (src/cli/one-shot-runtime.ts):
// no TurboFan compile that the process would wait for before exiting. V8's own trace of each compiled wasm function
// is the evidence; the Liftoff lines prove the trace was on, so the absence of TurboFan lines means something.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { cliBuilt } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/snconnect.js', import.meta.url));
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());

/** The CLI under `node --trace-wasm-compilation-times`: V8 prints one line per wasm function it compiles. */
function tracedCli(args: string[]): Promise<{ code: number; output: string }> {
  if (!cliBuilt()) throw new Error('dist/ is missing: run `npx tsc -p .` (npm test does it) before the CLI tests');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--trace-wasm-compilation-times', BIN, ...args], { cwd: ROOT, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

describe('one-shot commands and WebAssembly', () => {
  it('snconnect invoke parses its response with the baseline-compiled parser and never waits for TurboFan', async () => {
    const res = await tracedCli(['invoke', 'getRecords', 'tableName=incident', 'sysparmLimit=1', `serviceNowInstanceURL=${sim.url}`, 'username=admin', 'password=admin']);
    expect(res.code).toBe(0);
    expect(res.output).toContain('"result"');
    expect(res.output).toMatch(/using Liftoff/);
    expect(res.output).not.toMatch(/using TurboFan/);
  });
});
