// The durable store for one machine: a SQLite file (better-sqlite3) in WAL mode with synchronous=FULL, so a
// stored message is on disk before store() resolves. Several processes on the same host may share the file
// (competing consumers); claims are leases (see lease.ts).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ConnectorError } from '../errors.js';
import { decodeMessage, encodeMessage } from './message-codec.js';
import { DEFAULT_LEASE_MS, LEASE_PARAMETER, LeaseKeeper, tableName, type ClaimedRow, type LeaseTable } from './lease.js';
import type { ParameterReader } from './parameters.js';
import type { Delivery, MessageStore, StoreStats, StoredMessage } from './types.js';

export const DEFAULT_DISK_PATH = '.snconnect/message-stores.db';

/** Where the file is: `store.disk.path`, or a `jdbc:sqlite:<path>` connection URL. */
export function diskPath(params: ParameterReader): string {
  const url = params.text('store.jdbc.connection.url');
  if (url?.startsWith('jdbc:sqlite:')) return url.slice('jdbc:sqlite:'.length);
  return params.text('store.disk.path', DEFAULT_DISK_PATH);
}

export class DiskStore implements MessageStore {
  readonly kind = 'disk';
  private readonly db: Database.Database;
  private readonly leases: LeaseKeeper;
  private readonly statements: {
    insert: Database.Statement;
    claim: Database.Statement;
    remove: Database.Statement;
    release: Database.Statement;
    renew: Database.Statement;
    depth: Database.Statement;
    inFlight: Database.Statement;
    peek: Database.Statement;
    purge: Database.Statement;
  };

  constructor(
    readonly name: string,
    params: ParameterReader,
    onError: (err: unknown) => void,
  ) {
    const path = resolve(diskPath(params));
    const table = tableName(params, 'store.jdbc.table', `store_${name.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63));
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      // FULL: each commit is fsynced, so a message confirmed to the caller survives a power cut, not just a crash.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 10000');
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        body TEXT NOT NULL,
        delivery_count INTEGER NOT NULL DEFAULT 0,
        visible_at INTEGER NOT NULL,
        lease_owner TEXT
      )`);
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${table}_visible ON ${table} (visible_at, seq)`);
    } catch (err) {
      throw new ConnectorError({ code: 'CONNECTION_ERROR', message: `message store '${name}': cannot open the on-disk store ${path}: ${(err as Error).message}`, cause: err });
    }
    this.statements = {
      insert: this.db.prepare(`INSERT INTO ${table} (body, visible_at) VALUES (?, 0)`),
      // One statement, so two processes can never claim the same row: SQLite runs writes one at a time.
      claim: this.db.prepare(
        `UPDATE ${table} SET delivery_count = delivery_count + 1, lease_owner = @owner, visible_at = @until
         WHERE seq = (SELECT seq FROM ${table} WHERE visible_at <= @now ORDER BY seq LIMIT 1)
         RETURNING seq, body, delivery_count`,
      ),
      remove: this.db.prepare(`DELETE FROM ${table} WHERE seq = ? AND lease_owner = ?`),
      release: this.db.prepare(`UPDATE ${table} SET lease_owner = NULL, visible_at = ? WHERE seq = ? AND lease_owner = ?`),
      renew: this.db.prepare(`UPDATE ${table} SET visible_at = ? WHERE seq = ? AND lease_owner = ?`),
      depth: this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE visible_at <= ? OR lease_owner IS NULL`),
      inFlight: this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE visible_at > ? AND lease_owner IS NOT NULL`),
      peek: this.db.prepare(`SELECT seq, body FROM ${table} ORDER BY seq LIMIT ?`),
      purge: this.db.prepare(`DELETE FROM ${table} WHERE visible_at <= ? OR lease_owner IS NULL`),
    };
    const s = this.statements;
    const renewMany = this.db.transaction((ids: string[], owner: string, until: number) => {
      for (const id of ids) s.renew.run(until, Number(id), owner);
    });
    const table_: LeaseTable = {
      claim: async (owner, leaseMs) => {
        const now = Date.now();
        const row = s.claim.get({ owner, until: now + leaseMs, now }) as { seq: number; body: string; delivery_count: number } | undefined;
        if (!row) return undefined;
        const claimed: ClaimedRow = { id: String(row.seq), message: decodeMessage(row.body, { id: String(row.seq) }), deliveryCount: row.delivery_count };
        return claimed;
      },
      remove: async (id, owner) => void s.remove.run(Number(id), owner),
      release: async (id, owner, delayMs) => void s.release.run(Date.now() + delayMs, Number(id), owner),
      renew: async (ids, owner, leaseMs) => renewMany(ids, owner, Date.now() + leaseMs),
    };
    this.leases = new LeaseKeeper(table_, params.integer(LEASE_PARAMETER, DEFAULT_LEASE_MS, 100), onError);
  }

  async store(message: StoredMessage): Promise<void> {
    this.statements.insert.run(encodeMessage(message));
  }

  claim(): Promise<Delivery | undefined> {
    return this.leases.claim();
  }

  async stats(): Promise<StoreStats> {
    const now = Date.now();
    const depth = (this.statements.depth.get(now) as { n: number }).n;
    const inFlight = (this.statements.inFlight.get(now) as { n: number }).n;
    return { depth, inFlight };
  }

  async peek(limit: number): Promise<StoredMessage[]> {
    return (this.statements.peek.all(limit) as { seq: number; body: string }[]).map((r) => decodeMessage(r.body, { id: String(r.seq) }));
  }

  async purge(): Promise<number> {
    return this.statements.purge.run(Date.now()).changes;
  }

  async close(): Promise<void> {
    this.leases.stop();
    if (this.db.open) this.db.close();
  }
}
