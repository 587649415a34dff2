// The mutable state shared by every handler of one running simulator.
import type { OAuthClients } from './auth/clients.js';
import type { TokenStore } from './auth/tokens.js';
import type { AuthenticatedUser, UserRegistry } from './auth/users.js';
import { stableFraction } from './rng.js';
import type { Database } from './store/database.js';
import type { TableStore } from './store/table-store.js';
import type { SimulatorBehaviour } from './types.js';

export interface SimulatorState {
  readonly db: Database;
  behaviour: SimulatorBehaviour;
  readonly seed: number;
  readonly users: UserRegistry;
  readonly tokens: TokenStore;
  readonly clients: OAuthClients;
}

/** Whether the row ACL applies to this user on this table. */
export function rowAclApplies(state: SimulatorState, table: TableStore, user: AuthenticatedUser | undefined): boolean {
  const b = state.behaviour;
  if (!table.def.rowAcl || b.aclHideRate <= 0 || b.aclScope === 'off') return false;
  return b.aclScope === 'all' || (user?.restricted ?? false);
}

/** The ACL's verdict for one row: stable per sys_id and seed, so paging sees the same rows hidden each time. */
export function rowHidden(state: SimulatorState, sysId: string): boolean {
  return stableFraction(sysId, state.seed) < state.behaviour.aclHideRate;
}

/** Restricted users may not read admin tables at all. */
export function tableForbidden(table: TableStore, user: AuthenticatedUser | undefined): boolean {
  return (table.def.adminOnly ?? false) && (user?.restricted ?? false);
}
