// Claims with a lease, for the table-backed stores (on-disk and PostgreSQL). A claimed row becomes invisible
// until its lease ends; the claiming process renews the lease while the flow runs, so only a consumer that died
// (or froze longer than the lease) lets the message come back to another one. The row's delivery count is
// written when it is claimed, so a redelivery after a crash is known to be one.
import { randomUUID } from 'node:crypto';
import type { ParameterReader } from './parameters.js';
import type { Delivery, StoredMessage } from './types.js';

export interface ClaimedRow {
  id: string;
  message: StoredMessage;
  deliveryCount: number;
}

/** The few statements a table-backed store runs; `owner` identifies this process's claims. */
export interface LeaseTable {
  claim(owner: string, leaseMs: number): Promise<ClaimedRow | undefined>;
  /** Deletes the row if this owner still holds it. */
  remove(id: string, owner: string): Promise<void>;
  /** Makes the row visible again after delayMs. */
  release(id: string, owner: string, delayMs: number): Promise<void>;
  renew(ids: string[], owner: string, leaseMs: number): Promise<void>;
}

export class LeaseKeeper {
  readonly owner = randomUUID();
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly table: LeaseTable,
    readonly leaseMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  async claim(): Promise<Delivery | undefined> {
    const row = await this.table.claim(this.owner, this.leaseMs);
    if (!row) return undefined;
    this.held.add(row.id);
    this.startRenewing();
    let settled = false;
    const settle = async (action: () => Promise<void>) => {
      if (settled) return;
      settled = true;
      try {
        await action();
      } finally {
        this.held.delete(row.id);
      }
    };
    return {
      message: row.message,
      deliveryCount: row.deliveryCount,
      ack: () => settle(() => this.table.remove(row.id, this.owner)),
      release: (delayMs = 0) => settle(() => this.table.release(row.id, this.owner, delayMs)),
    };
  }

  get inFlight(): number {
    return this.held.size;
  }

  private startRenewing(): void {
    if (this.timer) return;
    // Renew well before the lease ends: a third of it leaves two chances for a slow round trip.
    this.timer = setInterval(() => {
      if (this.held.size === 0) return;
      this.table.renew([...this.held], this.owner, this.leaseMs).catch(this.onError);
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** `store.claim.lease.ms`: how long a claimed message stays invisible without renewal (default 30 s). */
export const LEASE_PARAMETER = 'store.claim.lease.ms';
export const DEFAULT_LEASE_MS = 30_000;

/** Table names are put into SQL text, so only plain identifiers are accepted. */
export function tableName(params: ParameterReader, parameter: string, fallback: string): string {
  const name = params.text(parameter, fallback);
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) params.fail(parameter, `must be a plain table name (letters, digits, _), not '${name}'`);
  return name;
}
