// OAuth application registry (ServiceNow's oauth_entity): client ids, secrets, enabled grants, JWT verifiers.
import type { SimulatorOAuthClient } from '../types.js';
import { sameText } from './users.js';

/** Demo client: every grant, client_credentials acting as admin. No JWT verifier: tests add one with their own key. */
export const DEMO_CLIENT: SimulatorOAuthClient = {
  clientId: 'snconnect-demo',
  clientSecret: 'demo-secret',
  grants: ['password', 'refresh_token', 'client_credentials', 'jwt_bearer'],
  clientCredentialsUser: 'admin',
};

export class OAuthClients {
  private readonly clients = new Map<string, SimulatorOAuthClient>();

  constructor(extra: readonly SimulatorOAuthClient[] = []) {
    for (const c of [DEMO_CLIENT, ...extra]) this.clients.set(c.clientId, c);
  }

  list(): SimulatorOAuthClient[] {
    return [...this.clients.values()];
  }

  /** The client when id and secret match. */
  check(clientId: string, clientSecret: string): SimulatorOAuthClient | undefined {
    const c = this.clients.get(clientId);
    return c && sameText(c.clientSecret, clientSecret) ? c : undefined;
  }
}
