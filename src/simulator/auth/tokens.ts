// OAuth access and refresh tokens: issued by /oauth_token.do, checked on every Bearer request, and they expire.
import { randomBytes } from 'node:crypto';

interface AccessToken {
  userName: string;
  clientId: string;
  expiresAt: number;
}

interface RefreshToken extends AccessToken {}

export interface IssuedTokens {
  access_token: string;
  refresh_token?: string;
  scope: string;
  token_type: 'Bearer';
  expires_in: number;
}

export class TokenStore {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();

  constructor(private readonly clock: () => number = Date.now) {}

  issue(
    userName: string,
    clientId: string,
    lifetimes: { accessSeconds: number; refreshSeconds: number },
    refresh: 'new' | 'none' | { reuse: string },
  ): IssuedTokens {
    const now = this.clock();
    const accessToken = randomBytes(48).toString('base64url');
    this.access.set(accessToken, { userName, clientId, expiresAt: now + lifetimes.accessSeconds * 1000 });
    this.sweep(now);
    const out: IssuedTokens = { access_token: accessToken, scope: 'useraccount', token_type: 'Bearer', expires_in: Math.round(lifetimes.accessSeconds) };
    if (refresh === 'new') {
      const refreshToken = randomBytes(48).toString('base64url');
      this.refresh.set(refreshToken, { userName, clientId, expiresAt: now + lifetimes.refreshSeconds * 1000 });
      out.refresh_token = refreshToken;
    } else if (refresh !== 'none') {
      out.refresh_token = refresh.reuse;
    }
    return out;
  }

  userOfAccessToken(token: string): string | undefined {
    const t = this.access.get(token);
    if (!t) return undefined;
    if (t.expiresAt <= this.clock()) {
      this.access.delete(token);
      return undefined;
    }
    return t.userName;
  }

  /** The refresh token's owner when it is valid for this client. */
  useRefreshToken(token: string, clientId: string): { userName: string } | undefined {
    const t = this.refresh.get(token);
    if (!t || t.clientId !== clientId) return undefined;
    if (t.expiresAt <= this.clock()) {
      this.refresh.delete(token);
      return undefined;
    }
    return { userName: t.userName };
  }

  revokeRefreshToken(token: string): void {
    this.refresh.delete(token);
  }

  /** Makes every access token expire now (tests of refresh-on-401). */
  expireAccessTokens(): void {
    this.access.clear();
  }

  private sweep(now: number): void {
    if (this.access.size < 10_000) return;
    for (const [k, t] of this.access) if (t.expiresAt <= now) this.access.delete(k);
  }
}
