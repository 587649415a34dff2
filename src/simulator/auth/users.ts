// Users who may call the simulator, and Basic / Bearer authentication of a request.
import { timingSafeEqual } from 'node:crypto';
import type { SimulatorUser } from '../types.js';
import type { TokenStore } from './tokens.js';

export interface AuthenticatedUser {
  readonly userName: string;
  readonly restricted: boolean;
}

/** Demo users: admin sees everything, itil is restricted (row ACL on task tables, no admin tables). */
export const DEMO_USERS: readonly SimulatorUser[] = [
  { userName: 'admin', password: 'admin', restricted: false, name: 'System Administrator' },
  { userName: 'itil', password: 'itil', restricted: true, name: 'ITIL User' },
];

export class UserRegistry {
  private readonly users = new Map<string, SimulatorUser>();

  constructor(extra: readonly SimulatorUser[] = []) {
    for (const u of [...DEMO_USERS, ...extra]) this.users.set(u.userName, u);
  }

  list(): SimulatorUser[] {
    return [...this.users.values()];
  }

  has(userName: string): boolean {
    return this.users.has(userName);
  }

  user(userName: string): AuthenticatedUser | undefined {
    const u = this.users.get(userName);
    return u ? { userName: u.userName, restricted: u.restricted ?? false } : undefined;
  }

  /** The user when the password matches, otherwise undefined. */
  check(userName: string, password: string): AuthenticatedUser | undefined {
    const u = this.users.get(userName);
    if (!u || !sameText(u.password, password)) return undefined;
    return this.user(userName);
  }
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Authenticates from the Authorization header: Basic user:password, or Bearer <access token>. */
export function authenticate(header: string | undefined, users: UserRegistry, tokens: TokenStore): AuthenticatedUser | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const credentials = header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return users.check(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  if (scheme === 'bearer') {
    const userName = tokens.userOfAccessToken(credentials);
    return userName ? users.user(userName) : undefined;
  }
  return undefined;
}
