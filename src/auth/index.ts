// Auth modes of a connection: Basic (default) and OAuth 2.0 grants with a shared token cache.
import type { Logger } from '../logger.js';
import type { Authenticator } from './authenticator.js';
import { basicAuthenticator } from './basic.js';
import { oauthAuthenticator } from './oauth.js';
import type { AuthSettings, FormPoster } from './types.js';

export type { Authenticator } from './authenticator.js';
export type { AuthSettings, FormPoster, FormResponse } from './types.js';
export { signJwt, loadPrivateKey } from './jwt.js';
export { TokenCache, refreshMarginMs } from './token-cache.js';

/** `baseUrl`: the instance, whose /oauth_token.do is the default token endpoint. */
export function createAuthenticator(auth: AuthSettings, baseUrl: string, post: FormPoster, logger: Logger): Authenticator {
  if (auth.type === 'basic') return basicAuthenticator(auth.username, auth.password);
  const tokenUrl = auth.tokenUrl ?? `${baseUrl.replace(/\/+$/, '')}/oauth_token.do`;
  return oauthAuthenticator(auth, tokenUrl, post, logger);
}
