// OAuth 2.0 against ServiceNow's token endpoint (POST /oauth_token.do, form encoded): the password,
// refresh_token, client_credentials and JWT bearer grants. When a grant returns a refresh token, later
// renewals use it, and fall back to the configured grant when the refresh token is refused.
import type { KeyObject } from 'node:crypto';
import { ConnectorError } from '../errors.js';
import type { Logger } from '../logger.js';
import { registerSecret } from '../redact.js';
import type { Authenticator } from './authenticator.js';
import { loadPrivateKey, signJwt } from './jwt.js';
import { TokenCache, type IssuedToken } from './token-cache.js';
import type { AuthSettings, FormPoster } from './types.js';

export type OAuthSettings = Extract<AuthSettings, { type: 'oauth2' }>;

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function required(settings: OAuthSettings, name: 'clientSecret' | 'username' | 'password' | 'refreshToken' | 'privateKey' | 'keyId'): string {
  const value = settings[name];
  if (typeof value !== 'string' || value === '') {
    throw new ConnectorError({
      code: 'MISSING_PARAMETER',
      parameter: name,
      message: `init: ${name} is required for the OAuth ${settings.grant} grant`,
    });
  }
  return value;
}

function form(fields: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

/** Checks the settings at connect time and returns a function building the form of the configured grant. */
function grantForm(settings: OAuthSettings): () => string {
  if (typeof settings.clientId !== 'string' || settings.clientId === '') {
    throw new ConnectorError({ code: 'MISSING_PARAMETER', parameter: 'clientId', message: `init: clientId is required for the OAuth ${settings.grant} grant` });
  }
  const client = { client_id: settings.clientId, client_secret: settings.clientSecret };
  switch (settings.grant) {
    case 'password': {
      const username = required(settings, 'username');
      const password = required(settings, 'password');
      required(settings, 'clientSecret');
      return () => form({ grant_type: 'password', ...client, username, password });
    }
    case 'refresh_token': {
      const refreshToken = required(settings, 'refreshToken');
      return () => form({ grant_type: 'refresh_token', ...client, refresh_token: refreshToken });
    }
    case 'client_credentials':
      required(settings, 'clientSecret');
      return () => form({ grant_type: 'client_credentials', ...client });
    case 'jwt_bearer': {
      const key: KeyObject = loadPrivateKey(required(settings, 'privateKey'));
      const keyId = required(settings, 'keyId');
      const subject = settings.jwtSubject ?? settings.username;
      if (subject === undefined || subject === '') {
        throw new ConnectorError({ code: 'MISSING_PARAMETER', parameter: 'jwtSubject', message: 'init: jwtSubject (or username) is required for the OAuth jwt_bearer grant: it names the ServiceNow user the token acts as' });
      }
      const audience = settings.jwtAudience ?? settings.clientId;
      // A fresh assertion per request: each has its own jti and a short expiry.
      return () => {
        const assertion = signJwt(key, keyId, { issuer: settings.clientId, subject, audience });
        registerSecret(assertion, 'issued');
        return form({ grant_type: JWT_BEARER, ...client, assertion });
      };
    }
    default:
      throw new ConnectorError({
        code: 'INVALID_PARAMETER',
        parameter: 'grant',
        message: `init: OAuth grant "${String((settings as { grant: unknown }).grant)}" is not one of password, refresh_token, client_credentials, jwt_bearer`,
      });
  }
}

/** Reads the token endpoint's answer; the error never holds the body (it may echo a secret). */
function readToken(status: number, json: unknown, grant: string): IssuedToken {
  const body = (json ?? {}) as Record<string, unknown>;
  if (status >= 200 && status < 300 && typeof body.access_token === 'string' && body.access_token !== '') {
    // The tokens are secrets too: a server that echoes them in a later error body gets them masked.
    registerSecret(body.access_token, 'issued');
    registerSecret(body.refresh_token, 'issued');
    const expires = Number(body.expires_in);
    return {
      accessToken: body.access_token,
      expiresInSec: Number.isFinite(expires) && expires > 0 ? expires : 1800,
      ...(typeof body.refresh_token === 'string' && body.refresh_token !== '' ? { refreshToken: body.refresh_token } : {}),
    };
  }
  const said = [body.error, body.error_description].filter((v): v is string => typeof v === 'string' && v.length < 200).join(': ');
  const refused = status === 400 || status === 401 || status === 403;
  throw new ConnectorError({
    code: refused || (status >= 200 && status < 300) ? 'AUTH_FAILED' : 'SERVICENOW_ERROR',
    message:
      status >= 200 && status < 300
        ? `the OAuth ${grant} grant answered without an access_token`
        : `the OAuth ${grant} grant was refused by the token endpoint: HTTP ${status}${said ? ` (${said})` : ''}`,
    status,
    retryable: !refused,
  });
}

export function oauthAuthenticator(settings: OAuthSettings, tokenUrl: string, post: FormPoster, logger: Logger): Authenticator {
  const primaryForm = grantForm(settings);
  const refreshForm = (refreshToken: string): string =>
    form({ grant_type: 'refresh_token', client_id: settings.clientId, client_secret: settings.clientSecret, refresh_token: refreshToken });

  const cache = new TokenCache(async (refreshToken) => {
    if (refreshToken !== undefined) {
      const res = await post(tokenUrl, refreshForm(refreshToken));
      try {
        return readToken(res.status, res.json, 'refresh_token');
      } catch (err) {
        logger.log('info', `OAuth refresh token refused (HTTP ${res.status}); requesting a new token with the ${settings.grant} grant`);
        if (settings.grant === 'refresh_token') throw err;
      }
    }
    const res = await post(tokenUrl, primaryForm());
    const token = readToken(res.status, res.json, settings.grant);
    logger.log('debug', `OAuth ${settings.grant} grant issued a token valid for ${token.expiresInSec} s`);
    return token;
  });
  return {
    scheme: 'Bearer',
    authorization: () => cache.authorization(),
    rejected: (header) => cache.rejected(header),
  };
}
