// One-shot commands keep undici's WebAssembly HTTP parser on V8's baseline compiler (src/cli/one-shot-runtime.ts):
// no TurboFan compile that the process would wait for before exiting. V8's own trace of each compiled wasm function
// is the evidence; the Liftoff lines prove the trace was on, so the absence of TurboFan lines means something.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli } from './run-cli.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());

describe('one-shot commands and WebAssembly', () => {
  it('snconnect invoke parses its response with the baseline-compiled parser and never waits for TurboFan', async () => {
    // V8 prints one line per wasm function it compiles, on stdout.
    const res = await runCli(['invoke', 'getRecords', 'tableName=incident', 'sysparmLimit=1', `serviceNowInstanceURL=${sim.url}`, 'username=admin', 'password=admin'], {}, ['--trace-wasm-compilation-times']);
    const output = res.stdout + res.stderr;
    expect(res.code).toBe(0);
    expect(output).toContain('"result"');
    expect(output).toMatch(/using Liftoff/);
    expect(output).not.toMatch(/using TurboFan/);
  });
});
