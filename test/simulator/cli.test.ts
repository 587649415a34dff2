import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startFromArgs } from '../../src/cli/commands/simulator.js';
import { CliOptionError, parseSimulatorArgs } from '../../src/simulator/cli-options.js';
import { call } from './http.js';

describe('simulator command-line flags', () => {
  it('turns flags into options and behaviour', () => {
    const parsed = parseSimulatorArgs(['--port', '0', '--seed', '42', '--generate', 'incident=100,problem=5', '--fault', '503=0.1,reset=0.02,reset-after-commit=0.01,cancel=0.05', '--latency', '20+10', '--rate-limit', '100/1s', '--acl-hide-rate', '0.5', '--invalid-query-no-rows']);
    expect(parsed).toEqual({
      help: false,
      options: {
        port: 0,
        host: '127.0.0.1',
        seed: 42,
        generate: { incident: 100, problem: 5 },
        behaviour: {
          faults: { status503: 0.1, resetBeforeProcessing: 0.02, resetAfterCommit: 0.01, cancelledTransaction: 0.05 },
          latency: { fixedMs: 20, jitterMs: 10, perRowMs: 0 },
          rateLimit: { limit: 100, windowMs: 1000, omitRetryAfter: false },
          aclHideRate: 0.5,
          invalidQueryReturnsNoRows: true,
        },
      },
    });
    expect(parseSimulatorArgs(['--rate-limit', '5000/1h', '--no-retry-after'])).toMatchObject({ options: { port: 8080, behaviour: { rateLimit: { limit: 5000, windowMs: 3_600_000, omitRetryAfter: true } } } });
    expect(parseSimulatorArgs(['--help'])).toEqual({ help: true });
  });

  it('names the flag and the problem for bad input', () => {
    const bad: [string[], RegExp][] = [
      [['--port', 'x'], /--port/],
      [['--fault', '504=0.1'], /unknown fault '504'/],
      [['--fault', '503=2'], /share from 0 to 1/],
      [['--rate-limit', 'fast'], /--rate-limit/],
      [['--generate', 'incident'], /NAME=VALUE/],
      [['--acl-scope', 'some'], /--acl-scope/],
      [['--bogus'], /bogus/],
    ];
    for (const [args, message] of bad) {
      expect(() => parseSimulatorArgs(args)).toThrow(CliOptionError);
      expect(() => parseSimulatorArgs(args)).toThrow(message);
    }
  });

  it('reads --tls, --cert/--key and --public-url', () => {
    expect(parseSimulatorArgs(['--tls'])).toMatchObject({ options: { tls: true } });
    expect(parseSimulatorArgs(['--public-url', 'https://dev12345.service-now.com'])).toMatchObject({ options: { publicUrl: 'https://dev12345.service-now.com' } });
    const here = fileURLToPath(import.meta.url);
    expect(parseSimulatorArgs(['--cert', here, '--key', here])).toMatchObject({ options: { tls: { certFile: here, keyFile: here } } });
    expect(() => parseSimulatorArgs(['--cert', here])).toThrow(/--cert and --key go together/);
    expect(() => parseSimulatorArgs(['--cert', '/no/such/cert.pem', '--key', here])).toThrow(/--cert: no such file/);
    expect(() => parseSimulatorArgs(['--public-url', 'dev12345'])).toThrow(/--public-url/);
  });

  it('starts from flags over https and prints URL, certificate path, demo credentials, OAuth client and a sample curl', async () => {
    const started = await startFromArgs(['--port', '0', '--generate', 'incident=25', '--tls']);
    if ('help' in started) throw new Error('unexpected help');
    try {
      const { sim } = started;
      expect(sim.url).toMatch(/^https:\/\//);
      expect(started.banner).toContain(sim.url);
      expect(started.banner).toContain(`TLS certificate: ${sim.certificatePath}`);
      expect(started.banner).toContain('admin / admin');
      expect(started.banner).toContain('itil / itil');
      expect(started.banner).toContain('client_id=snconnect-demo');
      expect(started.banner).toContain(`curl --cacert '${sim.certificatePath}' -u admin:admin '`);
      expect(sim.db.count('incident')).toBe(40 + 25);
      // A client in another process trusts the printed certificate through NODE_EXTRA_CA_CERTS.
      const script = `fetch(${JSON.stringify(sim.url + '/api/now/table/incident?sysparm_limit=1')}, { headers: { Authorization: 'Basic ' + btoa('admin:admin') } }).then(async (r) => console.log(r.status, (await r.json()).result.length), (e) => console.log('failed', e.cause?.code))`;
      const client = spawn(process.execPath, ['-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: sim.certificatePath! }, stdio: ['ignore', 'pipe', 'inherit'] });
      let printed = '';
      client.stdout.on('data', (d: Buffer) => (printed += d.toString()));
      await new Promise((resolve) => client.once('exit', resolve));
      expect(printed.trim()).toBe('200 1');
    } finally {
      await started.sim.close();
    }
    expect(existsSync(started.sim.certificatePath!)).toBe(false);
  });
});

const BIN = fileURLToPath(new URL('../../bin/snconnect.js', import.meta.url));
// Runs the built CLI (`npm test` builds first); without dist/ this fails rather than being skipped.
describe('snconnect simulator process', () => {
  it('serves until SIGTERM, then closes cleanly with exit code 0', async () => {
    const child = spawn(process.execPath, [BIN, 'simulator', '--port', '0', '--seed', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const r = await call(url, '/api/now/table/incident?sysparm_limit=2&sysparm_fields=number');
    expect(r.status).toBe(200);
    expect(r.json.result).toHaveLength(2);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('simulator stopped');
  });
});
