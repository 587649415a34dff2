// Worker processes (bench/store/worker.ts) started, killed with SIGKILL, restarted and stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Next to this file when it runs from dist/; the built copy when a test imports the TypeScript source.
const BESIDE = fileURLToPath(new URL('./worker.js', import.meta.url));
const WORKER = existsSync(BESIDE) ? BESIDE : fileURLToPath(new URL('../../dist/bench/store/worker.js', import.meta.url));

export class WorkerPool {
  private readonly children: (ChildProcess | undefined)[];
  kills = 0;

  constructor(
    private readonly dir: string,
    size: number,
  ) {
    this.children = new Array<ChildProcess | undefined>(size).fill(undefined);
  }

  /** Starts worker i and resolves once it says it is ready. */
  start(i: number): Promise<void> {
    const child = spawn(process.execPath, [WORKER, this.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.children[i] = child;
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('ready')) resolve();
      });
      child.once('exit', (code, signal) => {
        if (!out.includes('ready')) reject(new Error(`worker ${i} exited (${code ?? signal}) before it was ready`));
      });
    });
  }

  startAll(): Promise<void> {
    return Promise.all(this.children.map((_, i) => this.start(i))).then(() => undefined);
  }

  /** SIGKILL worker i (no chance to ack or release anything) and start a new one in its place. */
  async killAndRestart(i: number): Promise<void> {
    const child = this.children[i];
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
      this.kills++;
    }
    await this.start(i);
  }

  /** SIGTERM every worker and wait: running flows finish and are acknowledged. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.children.map((child) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
        return new Promise((r) => {
          child.once('exit', r);
          child.kill('SIGTERM');
        });
      }),
    );
  }
}
