// Runs each measurement in a process of its own, so that its peak RSS is its own: the simulator is another child
// (`snconnect simulator`), and every client case is a child that prints one JSON line with its figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/snconnect.js', import.meta.url));

export interface SimulatorProcess {
  url: string;
  /** The child's process id (for its CPU time from /proc). */
  pid: number;
  stop(): Promise<void>;
}

/** `snconnect simulator --port 0 --generate ...` in a child; resolves with its URL once it listens. */
export function startSimulatorProcess(args: string[]): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [BIN, 'simulator', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return startListeningChild(child, 'the simulator');
}

/** Resolves once the child prints `listening on <url>` on its stdout. */
export function startListeningChild(child: ChildProcess, name: string): Promise<SimulatorProcess> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ url: m[1]!, pid: child.pid!, stop: () => stop(child) });
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited (code ${code}) before listening: ${out.slice(0, 500)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs `node dist/bench/cases/<name>.js args...` and returns the JSON object on its last stdout line. */
export function runCase<T>(name: string, args: string[], nodeFlags: string[] = []): Promise<T> {
  const file = fileURLToPath(new URL(`../cases/${name}.js`, import.meta.url));
  const child = spawn(process.execPath, [...nodeFlags, file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`bench case ${name} exited with code ${code}: ${last.slice(0, 300)}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`bench case ${name} printed no JSON result: ${last.slice(0, 300)}`));
      }
    });
  });
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const ADMIN_AUTH = 'Basic ' + Buffer.from('admin:admin').toString('base64');
