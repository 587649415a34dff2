// One worker process of the store crash test and the forwarding benchmark: loads the artifacts of the given
// folder and runs their message processors until SIGTERM (graceful: running flows finish and are acked) or
// SIGKILL (the test's crash). Prints "ready" once its processors run.
//   node dist/bench/store/worker.js <artifact folder>
import { loadArtifacts, type ServiceHost } from '../../src/artifacts/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import { ConnectionPool, runFlow } from '../../src/mediation/index.js';
import '../../src/store/index.js';
import { stderrLogger } from '../../src/logger.js';

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: worker.js <artifact folder>');
  const connector = await loadConnector();
  const set = await loadArtifacts([folder], { connector });
  const pool = new ConnectionPool(connector);
  const logger = stderrLogger((process.env['WORKER_LOG'] as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'error');
  const host: ServiceHost = { artifacts: set, connector, logger, runSequence: (name, ctx) => runFlow(set.flow, { connector, sequence: name, context: ctx, pool, logger }) };
  for (const s of set.services) await s.start(host);
  process.stdout.write('ready\n');
  const stop = async () => {
    for (const s of set.services) await s.stop();
    await pool.closeAll();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
