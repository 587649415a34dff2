// One access token per connection, shared by every concurrent call: while a token is being fetched all
// callers wait on the same promise (single flight), so 200 parallel calls cause one token request.
// A token is replaced shortly before it expires, and dropped when ServiceNow answers 401 with it.

export interface IssuedToken {
  accessToken: string;
  /** Lifetime in seconds as the token endpoint said (expires_in). */
  expiresInSec: number;
  refreshToken?: string;
}

/** Fetches a token; `refreshToken` is set when the cache holds one from an earlier grant. */
export type TokenSource = (refreshToken: string | undefined) => Promise<IssuedToken>;

/**
 * Renew this long before expiry: a quarter of the lifetime, at most a minute. It covers clock skew and the
 * time a request takes to reach the instance, so a token is never sent when it is about to run out.
 */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.floor(lifetimeMs / 4));
}

export class TokenCache {
  private header: string | undefined;
  private renewAt = 0;
  private refreshToken: string | undefined;
  private inflight: Promise<string> | undefined;

  constructor(private readonly source: TokenSource) {}

  authorization(): string | Promise<string> {
    if (this.header !== undefined && Date.now() < this.renewAt) return this.header;
    if (this.inflight === undefined) {
      this.inflight = this.fetch().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** Drops the token a 401 answered, unless a newer one already replaced it. */
  rejected(header: string): boolean {
    if (this.header === header) this.header = undefined;
    return true;
  }

  private async fetch(): Promise<string> {
    const token = await this.source(this.refreshToken);
    const lifetimeMs = Math.max(1, token.expiresInSec) * 1000;
    this.header = `Bearer ${token.accessToken}`;
    this.renewAt = Date.now() + lifetimeMs - refreshMarginMs(lifetimeMs);
    if (token.refreshToken !== undefined) this.refreshToken = token.refreshToken;
    return this.header;
  }
}
