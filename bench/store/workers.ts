// Worker processes, each a real `snconnect serve <folder>` (its message processors consume the shared store),
// started, killed with SIGKILL, restarted and stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// bin/ is three folders up from dist/bench/store, two from the TypeScript source a test imports.
const FROM_DIST = fileURLToPath(new URL('../../../bin/snconnect.js', import.meta.url));
const BIN = existsSync(FROM_DIST) ? FROM_DIST : fileURLToPath(new URL('../../bin/snconnect.js', import.meta.url));

export class WorkerPool {
  private readonly children: (ChildProcess | undefined)[];
  kills = 0;

  constructor(
    private readonly dir: string,
    size: number,
  ) {
    this.children = new Array<ChildProcess | undefined>(size).fill(undefined);
  }

  /** Starts worker i and resolves once it serves (its processors run by then). */
  start(i: number): Promise<void> {
    const child = spawn(process.execPath, [BIN, 'serve', this.dir, '--port', '0', '--no-access-log', '--log-level', 'error'], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.children[i] = child;
    return new Promise((resolve, reject) => {
      let err = '';
      let ready = false;
      child.stderr!.on('data', (c: Buffer) => {
        err += c.toString();
        if (!ready && err.includes('listening on')) {
          ready = true;
          resolve();
        }
        // Keep only the tail: a long run must not grow this string without end.
        if (err.length > 20_000) err = err.slice(-10_000);
      });
      child.once('exit', (code, signal) => {
        if (!ready) reject(new Error(`worker ${i} exited (${code ?? signal}) before it served: ${err.slice(-500)}`));
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
