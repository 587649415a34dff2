// The crash test's short form (bench/store/crash.ts has the full one: 3 workers, 5,000 messages, a kill every 3 s): two
// worker processes forward stored creates against a simulator with 503s and connection resets; one of them is
// SIGKILLed mid-run and restarted. Each request must be created exactly once, on every durable backend.
// The workers run from dist/ (npm test builds first).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCrashTest } from '../../bench/store/crash.js';

const root = join(import.meta.dirname, '..', '..');

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'bench', 'store', 'worker.js'))) {
    spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'ignore' });
  }
}, 120_000);

describe('store-and-forward under crashes', () => {
  it('creates every request exactly once with RabbitMQ, PostgreSQL and the on-disk store while a worker is killed', async () => {
    const results = await Promise.all(
      (['rabbitmq', 'postgres', 'disk'] as const).map((backend) => runCrashTest({ backend, messages: 60, workers: 2, killEveryMs: 300, maxKills: 1, leaseMs: 4000, limitMs: 90_000 })),
    );
    for (const r of results) {
      expect({ backend: r.backend, created: r.created, missing: r.missing, duplicated: r.duplicated, deadLettered: r.deadLettered, left: r.leftInStore, killed: r.kills }).toEqual({
        backend: r.backend,
        created: 60,
        missing: 0,
        duplicated: 0,
        deadLettered: 0,
        left: 0,
        killed: 1,
      });
    }
  }, 120_000);
});
