// Auth modes of a connection: Basic (default) and OAuth 2.0 grants with a shared token cache.
import type { ConnectionSettings } from '../http/types.js';
import type { Logger } from '../logger.js';
import type { Authenticator, FormPoster } from './authenticator.js';
import { basicAuthenticator } from './basic.js';
import { oauthAuthenticator } from './oauth.js';

export type { Authenticator, FormPoster } from './authenticator.js';
export { signJwt, loadPrivateKey } from './jwt.js';
export { TokenCache, refreshMarginMs } from './token-cache.js';

export function createAuthenticator(settings: ConnectionSettings, post: FormPoster, logger: Logger): Authenticator {
  const auth = settings.auth;
  if (auth.type === 'basic') return basicAuthenticator(auth.username, auth.password);
  const tokenUrl = auth.tokenUrl ?? `${settings.baseUrl.replace(/\/+$/, '')}/oauth_token.do`;
  return oauthAuthenticator(auth, tokenUrl, post, logger);
}
