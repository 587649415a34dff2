// What the transport needs from an auth mode: a header value for each request, and a way to say
// "this one was rejected with 401" so a cached token can be dropped and fetched again.

export interface Authenticator {
  /** The scheme of the header (shown alone, as `Basic ***`, by a request preview). */
  readonly scheme: 'Basic' | 'Bearer';
  /** The Authorization header value for the next request (a cached value when there is one). */
  authorization(): string | Promise<string>;
  /**
   * A request sent with `authorization` was answered 401. Returns true when asking for the header again
   * may give a different, valid one (a token was dropped), false when repeating cannot help (Basic).
   */
  rejected(authorization: string): boolean;
}
