// Public face of the local ServiceNow simulator: startSimulator() and its types.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleAdmin, type AdminControls } from './api/admin.js';
import { selectRows } from './api/select-rows.js';
import { handleStats } from './api/aggregate-api.js';
import { ImportSets } from './api/import-api.js';
import { handleOAuthToken } from './api/oauth.js';
import { handleTable } from './api/table-api.js';
import { ServiceCatalog } from './api/catalog-api.js';
import { handleChange } from './api/change-api.js';
import { handleCmdb } from './api/cmdb-api.js';
import { seedProductData } from './seed/product-seed.js';
import { Attachments } from './attachment-api.js';
import { handleBatch } from './batch-api.js';
import { OAuthClients } from './auth/clients.js';
import { TokenStore } from './auth/tokens.js';
import { UserRegistry } from './auth/users.js';
import { defaultBehaviour, mergeBehaviour } from './behaviour.js';
import { FaultPlanner } from './faults.js';
import { requestListener, type Pipeline } from './http/server.js';
import { Monitor } from './monitor.js';
import { RateLimiter } from './rate-limiter.js';
import { RequestGate } from './request-gate.js';
import { generateRows } from './seed/generator.js';
import { seedDatabase } from './seed/seed-data.js';
import type { SimulatorState } from './state.js';
import { Database } from './store/database.js';
import { selfSignedCertificate } from './tls/self-signed.js';
import type { RecordValues, RunningSimulator, SimulatorDb, SimulatorOptions } from './types.js';

export * from './types.js';
export { defaultBehaviour } from './behaviour.js';
export { DEMO_USERS } from './auth/users.js';
export { DEMO_CLIENT } from './auth/clients.js';

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = options.seed ?? 1;
  const db = new Database(seed);
  seedDatabase(db);
  seedProductData(db);
  const users = new UserRegistry(options.users);
  for (const u of options.users ?? []) {
    if (selectRows(db, db.table('sys_user')!, { query: `user_name=${u.userName}`, offset: 0, limit: 1, invalidQueryReturnsNoRows: false, caretEscape: true }).total === 0) {
      db.insert('sys_user', { user_name: u.userName, name: u.name ?? u.userName, active: 'true' }, 'system');
    }
  }
  const state: SimulatorState = {
    db,
    behaviour: mergeBehaviour(defaultBehaviour(), options.behaviour ?? {}),
    seed,
    users,
    tokens: new TokenStore(),
    clients: new OAuthClients(options.oauthClients),
  };
  const monitor = new Monitor(options.requestLogSize ?? 1000);
  const rateLimiter = new RateLimiter();
  const gate = new RequestGate(() => state.behaviour);

  const simDb = databaseFacade(state);
  for (const [table, n] of Object.entries(options.generate ?? {})) simDb.generate(table, n);

  const controls: AdminControls = {
    behaviour: () => structuredClone(state.behaviour),
    configure: (change) => {
      state.behaviour = mergeBehaviour(state.behaviour, change);
      if (change.rateLimit !== undefined) rateLimiter.reset();
      gate.drain();
    },
    stats: () => ({ ...monitor.stats(), concurrency: gate.snapshot() }),
    resetStats: () => {
      monitor.resetStats();
      gate.resetCounters();
    },
    concurrency: () => gate.snapshot(),
    requests: () => monitor.requests(),
    clearRequests: () => monitor.clearRequests(),
    generate: (table, count) => simDb.generate(table, count),
    count: (table) => db.table(table)?.count ?? 0,
    expireTokens: () => state.tokens.expireAccessTokens(),
  };
  const imports = new ImportSets(state);
  const attachments = new Attachments(state);
  const catalog = new ServiceCatalog(state);
  const pipeline: Pipeline = {
    state,
    monitor,
    faults: new FaultPlanner(seed),
    rateLimiter,
    gate,
    handlers: {
      // A read of requested items moves ordered items one fulfilment step on, after answering (catalog-api.ts).
      table: (ctx) => {
        const reply = handleTable(state, ctx);
        catalog.afterTableRead(ctx);
        return reply;
      },
      oauth: (ctx) => handleOAuthToken(state, monitor, ctx),
      stats: (ctx) => handleStats(state, ctx),
      import: (ctx) => imports.handle(ctx, 'import'),
      importMultiple: (ctx) => imports.handle(ctx, 'importMultiple'),
      importGet: (ctx) => imports.handle(ctx, 'importGet'),
      // Attachment and Batch APIs (attachment-api.ts, batch-api.ts); a batch runs its requests through these handlers.
      attachment: (ctx) => attachments.handle(ctx),
      batch: (ctx) => handleBatch(ctx, pipeline.handlers),
      cmdb: (ctx) => handleCmdb(state, ctx),
      catalog: (ctx) => catalog.handle(ctx),
      change: (ctx) => handleChange(state, ctx),
    },
    admin: (ctx, route) => handleAdmin(controls, ctx, route.params.action),
    scheme: options.tls ? 'https' : 'http',
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
  };

  const tls = options.tls ? await certificate(options.tls, options.host ?? '127.0.0.1') : undefined;
  const server = tls
    ? createTlsServer({ keepAliveTimeout: 65_000, cert: tls.cert, key: tls.key }, requestListener(pipeline))
    : createServer({ keepAliveTimeout: 65_000 }, requestListener(pipeline));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;

  return {
    url: `${pipeline.scheme}://${host}:${address.port}`,
    port: address.port,
    certificatePem: tls?.cert,
    certificatePath: tls?.path,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => (tls?.tempDir ? rm(tls.tempDir, { recursive: true, force: true }) : undefined));
      return closed;
    },
    configure: controls.configure,
    behaviour: controls.behaviour,
    stats: controls.stats,
    resetStats: controls.resetStats,
    concurrency: controls.concurrency,
    requests: controls.requests,
    clearRequests: controls.clearRequests,
    expireTokens: controls.expireTokens,
    db: simDb,
  };
}

/** The certificate and key to serve https with; a generated one is written to a temporary file for clients to trust. */
async function certificate(tls: NonNullable<SimulatorOptions['tls']>, host: string): Promise<{ cert: string; key: string; path?: string; tempDir?: string }> {
  if (tls === true) {
    const generated = selfSignedCertificate([host]);
    const tempDir = await mkdtemp(join(tmpdir(), 'snconnect-simulator-'));
    const path = join(tempDir, 'simulator-cert.pem');
    await writeFile(path, generated.cert);
    return { ...generated, path, tempDir };
  }
  if ('certFile' in tls) return { cert: readFileSync(tls.certFile, 'utf8'), key: readFileSync(tls.keyFile, 'utf8'), path: tls.certFile };
  return { cert: tls.cert, key: tls.key };
}

/** Direct access to the records for tests and tools (no ACL, no HTTP). */
function databaseFacade(state: SimulatorState): SimulatorDb {
  const { db } = state;
  const table = (name: string) => {
    const t = db.table(name);
    if (!t) throw new Error(`Invalid table ${name}`);
    return t;
  };
  const select = (name: string, query: string) =>
    selectRows(db, table(name), { query, offset: 0, limit: Number.MAX_SAFE_INTEGER, invalidQueryReturnsNoRows: state.behaviour.invalidQueryReturnsNoRows, caretEscape: state.behaviour.caretEscape });
  return {
    insert: (name, values) => db.insert(name, values).record,
    get: (name, sysId) => db.get(table(name).name, sysId),
    update: (name, sysId, values) => db.update(table(name).name, sysId, values),
    delete: (name, sysId) => db.delete(table(name).name, sysId),
    count: (name, query = '') => select(name, query).total,
    list(name, query = ''): RecordValues[] {
      const t = table(name);
      const s = select(name, query);
      const out: RecordValues[] = [];
      for (let i = s.start; i < s.end; i++) out.push(t.record(s.slots[i]));
      return out;
    },
    generate: (name, n) => generateRows(db, table(name), n),
    tables: () => db.tableNames(),
  };
}
