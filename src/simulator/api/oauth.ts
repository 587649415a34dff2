// POST /oauth_token.do: password, refresh_token, client_credentials and JWT bearer grants, answered as ServiceNow does.
import { verifyJwtAssertion } from '../auth/jwt.js';
import type { IssuedTokens } from '../auth/tokens.js';
import { jsonReply, type Reply } from '../http/reply.js';
import type { RequestContext } from '../http/request-context.js';
import type { Monitor } from '../monitor.js';
import type { SimulatorState } from '../state.js';
import type { SimulatorOAuthClient } from '../types.js';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const denied = (error: 'server_error' | 'invalid_client'): Reply => jsonReply(401, { error_description: 'access_denied', error }, { 'Cache-Control': 'no-store' });

export function handleOAuthToken(state: SimulatorState, monitor: Monitor, ctx: RequestContext): Reply {
  if (ctx.method !== 'POST') return jsonReply(405, { error: 'invalid_request', error_description: 'POST required' });
  const form = new URLSearchParams(ctx.body);
  const grantType = form.get('grant_type') ?? '';
  const grant = grantType === JWT_GRANT ? 'jwt_bearer' : grantType;
  monitor.tokenRequest(['password', 'refresh_token', 'client_credentials', 'jwt_bearer'].includes(grant) ? grant : 'unsupported');

  const client = clientOf(state, ctx, form);
  if (!client) return denied('invalid_client');
  if (!['password', 'refresh_token', 'client_credentials', 'jwt_bearer'].includes(grant)) {
    return jsonReply(400, { error_description: `Unsupported grant type: ${grantType || '(none)'}`, error: 'unsupported_grant_type' });
  }
  if (!client.grants.includes(grant as SimulatorOAuthClient['grants'][number])) return denied('server_error');

  const b = state.behaviour;
  const lifetimes = { accessSeconds: b.accessTokenLifetimeSeconds, refreshSeconds: b.refreshTokenLifetimeSeconds };
  let issued: IssuedTokens;
  switch (grant) {
    case 'password': {
      const user = state.users.check(form.get('username') ?? '', form.get('password') ?? '');
      if (!user) return denied('server_error');
      issued = state.tokens.issue(user.userName, client.clientId, lifetimes, 'new');
      break;
    }
    case 'refresh_token': {
      const token = form.get('refresh_token') ?? '';
      const owner = state.tokens.useRefreshToken(token, client.clientId);
      if (!owner) return denied('server_error');
      if (b.rotateRefreshTokens) state.tokens.revokeRefreshToken(token);
      issued = state.tokens.issue(owner.userName, client.clientId, lifetimes, b.rotateRefreshTokens ? 'new' : { reuse: token });
      break;
    }
    case 'client_credentials': {
      const userName = client.clientCredentialsUser;
      if (!userName || !state.users.has(userName)) return denied('server_error');
      issued = state.tokens.issue(userName, client.clientId, lifetimes, 'none');
      break;
    }
    default: {
      if (!client.jwtVerifier) return denied('server_error');
      const check = verifyJwtAssertion(form.get('assertion') ?? '', client.jwtVerifier, client.clientId, Math.floor(Date.now() / 1000));
      if (!check.ok || !state.users.has(check.subject)) return denied('server_error');
      issued = state.tokens.issue(check.subject, client.clientId, lifetimes, 'none');
    }
  }
  return jsonReply(200, issued, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

/** Client credentials from the form, or from an HTTP Basic header (both are accepted by OAuth servers). */
function clientOf(state: SimulatorState, ctx: RequestContext, form: URLSearchParams): SimulatorOAuthClient | undefined {
  let id = form.get('client_id');
  let secret = form.get('client_secret');
  const header = ctx.headers.authorization;
  if ((!id || !secret) && typeof header === 'string' && header.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      id = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  return id && secret ? state.clients.check(id, secret) : undefined;
}
