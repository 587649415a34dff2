// Command-line flags of `snconnect simulator`, turned into SimulatorOptions (pure, so it can be tested alone).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BehaviourChange, FaultKind, SimulatorOptions } from './types.js';

export const SIMULATOR_USAGE = `Usage: snconnect simulator [options]
  --port N                  port to listen on (default 8080; 0 = any free port)
  --host ADDR               address to bind (default 127.0.0.1)
  --seed N                  seed of generated ids, data and fault draws (default 1)
  --generate T=N[,T=N]      add N synthetic rows to table T, e.g. incident=1000000
  --fault K=R[,K=R]         fault rates 0..1; K is 500, 502, 503, reset (before processing),
                            reset-after-commit, truncate (body cut, connection dropped), cancel (truncated 200)
  --latency SPEC            added latency per request: fixed, optional jitter, optional cost per record
                            returned, e.g. 100ms, 20+30 (20 ms plus 0..30 ms), 100ms+0.05ms/row
  --max-concurrent N        requests processed at once, like an instance node's semaphore (e.g. 16);
                            more wait in a queue, and get 429 when the queue is full (default: no limit)
  --max-queue N             requests allowed to wait for --max-concurrent (default 50)
  --rate-limit N/WINDOW     per-user limit, e.g. 100/1s, 5000/1h (429 with Retry-After and X-RateLimit-*)
  --no-retry-after          leave Retry-After out of 429 answers
  --acl-hide-rate R         share of task rows the row ACL hides (default 0.25)
  --acl-scope S             restricted (default: only itil), all, off
  --invalid-query-no-rows   glide.invalid_query.returns_no_rows=true
  --token-lifetime S        access token lifetime in seconds (default 1799)
  --tls                     serve https with a self-signed certificate (its file path is printed: trust it with
                            NODE_EXTRA_CA_CERTS=<path>, curl --cacert <path>, or your client's CA option)
  --cert FILE --key FILE    serve https with your own PEM certificate and key
  --public-url URL          instance URL for links (glide.servlet.uri), e.g. https://dev12345.service-now.com
  --help
`;

const FAULT_ALIASES: Record<string, FaultKind> = {
  '500': 'status500',
  '502': 'status502',
  '503': 'status503',
  reset: 'resetBeforeProcessing',
  'reset-before': 'resetBeforeProcessing',
  'reset-after-commit': 'resetAfterCommit',
  truncate: 'truncatedBody',
  cancel: 'cancelledTransaction',
};

export class CliOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliOptionError';
  }
}

export type CliParse = { help: true } | { help: false; options: SimulatorOptions };

/** Throws CliOptionError naming the flag and what was wrong. */
export function parseSimulatorArgs(args: string[]): CliParse {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        generate: { type: 'string' },
        fault: { type: 'string' },
        latency: { type: 'string' },
        'max-concurrent': { type: 'string' },
        'max-queue': { type: 'string' },
        'rate-limit': { type: 'string' },
        'no-retry-after': { type: 'boolean' },
        'acl-hide-rate': { type: 'string' },
        'acl-scope': { type: 'string' },
        'invalid-query-no-rows': { type: 'boolean' },
        'token-lifetime': { type: 'string' },
        tls: { type: 'boolean' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'public-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new CliOptionError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return { help: true };
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const behaviour: BehaviourChange = {};
  const options: SimulatorOptions = { port: integer('--port', str('port') ?? '8080', 0, 65535), host: str('host') ?? '127.0.0.1', behaviour };
  if (str('seed') !== undefined) options.seed = integer('--seed', str('seed')!, 0, 2 ** 32 - 1);
  if (str('generate') !== undefined) {
    options.generate = {};
    for (const [table, count] of pairs('--generate', str('generate')!)) options.generate[table] = integer('--generate', count, 0, 20_000_000);
  }
  if (str('fault') !== undefined) {
    const faults: Partial<Record<FaultKind, number>> = {};
    for (const [key, rate] of pairs('--fault', str('fault')!)) {
      const kind = FAULT_ALIASES[key];
      if (!kind) throw new CliOptionError(`--fault: unknown fault '${key}' (known: ${Object.keys(FAULT_ALIASES).join(', ')})`);
      faults[kind] = share('--fault', rate);
    }
    behaviour.faults = faults;
  }
  if (str('latency') !== undefined) behaviour.latency = parseLatency(str('latency')!);
  if (str('max-concurrent') !== undefined) behaviour.maxConcurrent = integer('--max-concurrent', str('max-concurrent')!, 1, 100_000);
  if (str('max-queue') !== undefined) {
    if (str('max-concurrent') === undefined) throw new CliOptionError('--max-queue needs --max-concurrent');
    behaviour.maxQueued = integer('--max-queue', str('max-queue')!, 0, 1_000_000);
  }
  if (str('rate-limit') !== undefined) {
    const m = /^(\d+)\/(\d*)(ms|s|m|h)$/.exec(str('rate-limit')!);
    if (!m || Number(m[1]) < 1) throw new CliOptionError(`--rate-limit: expected N/WINDOW like 100/1s or 5000/1h, got '${str('rate-limit')}'`);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[3] as 'ms' | 's' | 'm' | 'h'];
    behaviour.rateLimit = { limit: Number(m[1]), windowMs: Number(m[2] || '1') * unit, omitRetryAfter: values['no-retry-after'] === true };
  } else if (values['no-retry-after']) throw new CliOptionError('--no-retry-after needs --rate-limit');
  if (str('acl-hide-rate') !== undefined) behaviour.aclHideRate = share('--acl-hide-rate', str('acl-hide-rate')!);
  if (str('acl-scope') !== undefined) {
    const scope = str('acl-scope')!;
    if (scope !== 'restricted' && scope !== 'all' && scope !== 'off') throw new CliOptionError(`--acl-scope: expected restricted, all or off, got '${scope}'`);
    behaviour.aclScope = scope;
  }
  if (values['invalid-query-no-rows']) behaviour.invalidQueryReturnsNoRows = true;
  if (str('token-lifetime') !== undefined) behaviour.accessTokenLifetimeSeconds = integer('--token-lifetime', str('token-lifetime')!, 1, 10 ** 9);
  if (str('cert') !== undefined || str('key') !== undefined) {
    if (str('cert') === undefined || str('key') === undefined) throw new CliOptionError('--cert and --key go together (PEM files of the certificate and its private key)');
    for (const flag of ['cert', 'key']) {
      if (!existsSync(str(flag)!)) throw new CliOptionError(`--${flag}: no such file '${str(flag)}'`);
    }
    options.tls = { certFile: resolve(str('cert')!), keyFile: resolve(str('key')!) };
  } else if (values.tls) options.tls = true;
  if (str('public-url') !== undefined) {
    const url = str('public-url')!;
    if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) throw new CliOptionError(`--public-url: expected http(s)://host[:port], got '${url}'`);
    options.publicUrl = url;
  }
  return { help: false, options };
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)?$/;

/** `100ms`, `20+30` (fixed + jitter), `100ms+0.05ms/row` (fixed + cost per record returned), units ms (default) or s. */
export function parseLatency(text: string): { fixedMs: number; jitterMs: number; perRowMs: number } {
  const bad = (): CliOptionError => new CliOptionError(`--latency: expected MS[+JITTER][+MS/row] like 100ms, 20+30 or 100ms+0.05ms/row, got '${text}'`);
  const ms = (part: string): number => {
    const m = DURATION.exec(part.trim());
    if (!m) throw bad();
    return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  };
  const [fixed, ...rest] = text.split('+');
  const out = { fixedMs: ms(fixed), jitterMs: 0, perRowMs: 0 };
  let sawJitter = false;
  let sawRow = false;
  for (const part of rest) {
    if (part.endsWith('/row')) {
      if (sawRow) throw bad();
      sawRow = true;
      out.perRowMs = ms(part.slice(0, -'/row'.length));
    } else {
      if (sawJitter || sawRow) throw bad();
      sawJitter = true;
      out.jitterMs = ms(part);
    }
  }
  return out;
}

function pairs(flag: string, text: string): [string, string][] {
  return text.split(',').map((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new CliOptionError(`${flag}: expected NAME=VALUE pairs separated by commas, got '${part}'`);
    return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
  });
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new CliOptionError(`${flag}: expected a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

function share(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !(n >= 0 && n <= 1)) throw new CliOptionError(`${flag}: expected a share from 0 to 1, got '${text}'`);
  return n;
}

/** A first request to try against a running simulator, printed by `snconnect simulator`. */
export function sampleCurl(url: string, certificatePath?: string): string {
  return `curl ${certificatePath ? `--cacert '${certificatePath}' ` : ''}-u admin:admin '${url}/api/now/table/incident?sysparm_query=active=true^priority<=2^ORDERBYDESCsys_created_on&sysparm_limit=2&sysparm_fields=number,priority' -i`;
}
