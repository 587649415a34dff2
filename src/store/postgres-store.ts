// WSO2's JDBCMessageStore on PostgreSQL (pg). Unlike WSO2's peek-and-delete, a row is claimed with
// FOR UPDATE SKIP LOCKED and a lease (lease.ts), so any number of processes on any number of hosts can consume
// one table: each message goes to one of them, and comes back only if that one dies.
import pg from 'pg';
import { ConnectorError } from '../errors.js';
import { redactText } from '../logger.js';
import { decodeMessage, encodeMessage } from './message-codec.js';
import { DEFAULT_LEASE_MS, LEASE_PARAMETER, LeaseKeeper, tableName, type LeaseTable } from './lease.js';
import type { ParameterReader } from './parameters.js';
import type { Delivery, MessageStore, StoreStats, StoredMessage } from './types.js';

/** Milliseconds since the epoch on the database's clock, so leases agree across hosts. */
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

export class PostgresStore implements MessageStore {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private readonly table: string;
  private readonly leases: LeaseKeeper;
  private ready: Promise<void> | undefined;

  constructor(
    readonly name: string,
    params: ParameterReader,
    private readonly onError: (err: unknown) => void,
  ) {
    const url = params.required('store.jdbc.connection.url');
    if (!url.startsWith('jdbc:postgresql://')) {
      params.fail('store.jdbc.connection.url', `must be a jdbc:postgresql://host:port/database URL (PostgreSQL is the JDBC database supported), not '${redactText(url)}'`);
    }
    this.table = tableName(params, 'store.jdbc.table', 'jdbc_store_table');
    // The URL's parts are given one by one: pg lets an unset part of a connectionString override user/password.
    const parsed = parseJdbcUrl(params, url);
    const user = params.text('store.jdbc.username') ?? parsed.user;
    const password = params.text('store.jdbc.password') ?? parsed.password;
    this.pool = new pg.Pool({
      host: parsed.host,
      port: parsed.port,
      database: parsed.database,
      ...(user !== undefined ? { user } : {}),
      ...(password !== undefined ? { password } : {}),
      max: params.integer('store.jdbc.pool.size', 4, 1),
      connectionTimeoutMillis: params.integer('store.jdbc.connection.timeout', 10_000, 1),
    });
    // An idle client that loses its connection must not crash the process; the next query reports it.
    this.pool.on('error', (err) => this.onError(this.connectionError('idle connection', err)));
    const t = this.table;
    const table: LeaseTable = {
      claim: async (owner, leaseMs) => {
        const res = await this.query(
          `UPDATE ${t} SET delivery_count = delivery_count + 1, lease_owner = $1, visible_at = ${NOW_MS} + $2
           WHERE seq = (SELECT seq FROM ${t} WHERE visible_at <= ${NOW_MS} ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING seq, body, delivery_count`,
          [owner, leaseMs],
        );
        const row = res.rows[0] as { seq: string; body: string; delivery_count: number } | undefined;
        return row ? { id: row.seq, message: decodeMessage(row.body, { id: row.seq }), deliveryCount: row.delivery_count } : undefined;
      },
      remove: async (id, owner) => void (await this.query(`DELETE FROM ${t} WHERE seq = $1 AND lease_owner = $2`, [id, owner])),
      release: async (id, owner, delayMs) =>
        void (await this.query(`UPDATE ${t} SET lease_owner = NULL, visible_at = ${NOW_MS} + $1 WHERE seq = $2 AND lease_owner = $3`, [delayMs, id, owner])),
      renew: async (ids, owner, leaseMs) =>
        void (await this.query(`UPDATE ${t} SET visible_at = ${NOW_MS} + $1 WHERE seq = ANY($2::bigint[]) AND lease_owner = $3`, [leaseMs, ids, owner])),
    };
    this.leases = new LeaseKeeper(table, params.integer(LEASE_PARAMETER, DEFAULT_LEASE_MS, 100), onError);
  }

  /** Creates the table on first use (several processes may race to do it: IF NOT EXISTS plus a lock). */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.table]);
        await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
          seq BIGSERIAL PRIMARY KEY,
          body TEXT NOT NULL,
          delivery_count INTEGER NOT NULL DEFAULT 0,
          visible_at BIGINT NOT NULL DEFAULT 0,
          lease_owner TEXT
        )`);
        await client.query(`CREATE INDEX IF NOT EXISTS ${this.table}_visible ON ${this.table} (visible_at, seq)`);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw this.connectionError(`preparing the table ${this.table}`, err);
      } finally {
        client.release();
      }
    })();
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw this.connectionError('connecting', err);
    }
  }

  private async query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    await this.init();
    try {
      return await this.pool.query(text, values);
    } catch (err) {
      throw this.connectionError('a query', err);
    }
  }

  private connectionError(what: string, err: unknown): ConnectorError {
    const message = err instanceof Error ? err.message : String(err);
    return new ConnectorError({ code: 'CONNECTION_ERROR', message: `message store '${this.name}' (PostgreSQL): ${what} failed: ${redactText(message)}`, retryable: true, cause: err });
  }

  async store(message: StoredMessage): Promise<void> {
    await this.query(`INSERT INTO ${this.table} (body) VALUES ($1)`, [encodeMessage(message)]);
  }

  claim(): Promise<Delivery | undefined> {
    return this.leases.claim();
  }

  async stats(): Promise<StoreStats> {
    const res = await this.query(
      `SELECT count(*) FILTER (WHERE visible_at <= ${NOW_MS} OR lease_owner IS NULL) AS depth,
              count(*) FILTER (WHERE visible_at > ${NOW_MS} AND lease_owner IS NOT NULL) AS in_flight FROM ${this.table}`,
      [],
    );
    const row = res.rows[0] as { depth: string; in_flight: string };
    return { depth: Number(row.depth), inFlight: Number(row.in_flight) };
  }

  async peek(limit: number): Promise<StoredMessage[]> {
    const res = await this.query(`SELECT seq, body FROM ${this.table} ORDER BY seq LIMIT $1`, [limit]);
    return (res.rows as { seq: string; body: string }[]).map((r) => decodeMessage(r.body, { id: r.seq }));
  }

  async purge(): Promise<number> {
    const res = await this.query(`DELETE FROM ${this.table} WHERE visible_at <= ${NOW_MS} OR lease_owner IS NULL`, []);
    return res.rowCount ?? 0;
  }

  /** Drops the table (tests clean up after themselves). */
  async drop(): Promise<void> {
    await this.query(`DROP TABLE IF EXISTS ${this.table}`, []);
  }

  async close(): Promise<void> {
    this.leases.stop();
    await this.pool.end();
  }
}

/** jdbc:postgresql://host[:port]/database[?user=..&password=..] */
function parseJdbcUrl(params: ParameterReader, url: string): { host: string; port: number; database: string; user?: string; password?: string } {
  let u: URL;
  try {
    u = new URL(url.slice('jdbc:'.length));
  } catch {
    return params.fail('store.jdbc.connection.url', `is not a valid URL: '${redactText(url)}'`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !database) params.fail('store.jdbc.connection.url', 'must name a host and a database: jdbc:postgresql://host:5432/database');
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    database,
    user: u.searchParams.get('user') ?? (u.username ? decodeURIComponent(u.username) : undefined),
    password: u.searchParams.get('password') ?? (u.password ? decodeURIComponent(u.password) : undefined),
  };
}
