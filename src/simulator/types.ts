// Public types of the simulator: options, switchable behaviours, stats and the request log.
import type { RecordValues } from './query/types.js';
import type { GateSnapshot } from './request-gate.js';

export type { GateSnapshot };

export type { RecordValues };

/** Fault kinds the simulator can inject; each has its own rate in SimulatorBehaviour.faults. */
export type FaultKind =
  | 'status500'
  | 'status502'
  | 'status503'
  /** The socket is destroyed before the request is processed: nothing was stored. */
  | 'resetBeforeProcessing'
  /** The request is processed and committed, then the socket is destroyed before any response byte. */
  | 'resetAfterCommit'
  /** Full headers (Content-Length of the whole body), half the body, then the socket is destroyed. */
  | 'truncatedBody'
  /** 200 whose JSON body is cut and ends with `Transaction cancelled: maximum execution time exceeded`. */
  | 'cancelledTransaction';

export const FAULT_KINDS: readonly FaultKind[] = [
  'status500',
  'status502',
  'status503',
  'resetBeforeProcessing',
  'resetAfterCommit',
  'truncatedBody',
  'cancelledTransaction',
];

export interface RateLimitBehaviour {
  /** Requests allowed per user in one window. */
  limit: number;
  /** Window length in ms (fixed windows). */
  windowMs: number;
  /** Name sent in X-RateLimit-Rule. */
  rule: string;
  /** Leave Retry-After out of 429 responses (clients must fall back to X-RateLimit-Reset or backoff). */
  omitRetryAfter: boolean;
  /** Send Retry-After as an HTTP date instead of seconds. */
  retryAfterAsDate: boolean;
}

export interface SimulatorBehaviour {
  /** Share (0..1) of requests answered with each fault; draws come from the seeded random stream. */
  faults: Partial<Record<FaultKind, number>>;
  /**
   * Faults forced on the next requests that are eligible for faults, one per request, in order
   * ('none' lets one request through). Consumed before the random draws: the easy way to script a test.
   */
  nextFaults: (FaultKind | 'none')[];
  /** Only requests whose path matches this regular expression get faults and latency (default: all /api/ paths). */
  faultPathPattern: string;
  /**
   * Added latency: fixed ms plus a uniform random 0..jitter ms before processing, and perRowMs for each record
   * the answer holds after processing (`--latency 100ms+0.05ms/row`: big pages cost more, as on an instance).
   */
  latency: { fixedMs: number; jitterMs: number; perRowMs: number };
  /**
   * Requests one node processes at once (its API semaphore); 0 = unlimited (default). Excess requests wait in a
   * queue of maxQueued; a request that finds the queue full gets 429 at once.
   */
  maxConcurrent: number;
  /** Queue behind maxConcurrent (ServiceNow's API_INT max queue depth is 50). */
  maxQueued: number;
  /** Rate limiting per user, or null for none. */
  rateLimit: RateLimitBehaviour | null;
  /**
   * Row ACL: share (0..1) of the rows of task tables hidden from the users it applies to,
   * removed AFTER the page limit is applied (short pages that are not the end, as ServiceNow does).
   */
  aclHideRate: number;
  /** Whom the row ACL applies to: users marked restricted (itil), everybody, or nobody. */
  aclScope: 'restricted' | 'all' | 'off';
  /** glide.invalid_query.returns_no_rows: a condition on an unknown field matches nothing (default false: ignored). */
  invalidQueryReturnsNoRows: boolean;
  /** `^^` in a value stands for a literal `^` (unconfirmed; default true). */
  caretEscape: boolean;
  /** Send X-Total-Count even with sysparm_no_count=true (unconfirmed; default false). */
  totalCountWithNoCount: boolean;
  /** Include display_value in groupby_fields with sysparm_display_value=all (unconfirmed; default true). */
  groupDisplayValueWithAll: boolean;
  /** Send a Link header (first and last) when everything fits on one page (unconfirmed; default true). */
  linkOnSinglePage: boolean;
  /** Send rel="prev" (with a negative sysparm_offset) on the first page, as recorded instances do (default true). */
  prevOnFirstPage: boolean;
  /** Send `WWW-Authenticate: BASIC realm="Service-now"` on 401 (unconfirmed; default true). */
  wwwAuthenticate: boolean;
  /** Lifetime of access tokens in seconds (ServiceNow default 1799). */
  accessTokenLifetimeSeconds: number;
  /** Lifetime of refresh tokens in seconds (ServiceNow default 8,640,000 = 100 days). */
  refreshTokenLifetimeSeconds: number;
  /** Issue a new refresh token on each refresh_token grant (ServiceNow by default returns the same one). */
  rotateRefreshTokens: boolean;
  /** Max rows in a page when sysparm_limit is absent (ServiceNow: 10,000). */
  defaultPageLimit: number;
  /** insertMultiple runs its transform synchronously and answers with the per-row results (default false: asynchronous). */
  importMultipleSynchronous: boolean;
}

/** A change of behaviour: any subset, nested objects may be partial too (rateLimit: null switches it off). */
export type BehaviourChange = Partial<Omit<SimulatorBehaviour, 'rateLimit' | 'latency'>> & {
  rateLimit?: Partial<RateLimitBehaviour> | null;
  latency?: Partial<SimulatorBehaviour['latency']>;
};

export interface SimulatorUser {
  userName: string;
  password: string;
  /** Restricted users see the row ACL (aclScope 'restricted') and get 403 on admin-only tables. */
  restricted?: boolean;
  /** Full name; a sys_user row is created when the user name is not seeded yet. */
  name?: string;
}

export interface SimulatorOAuthClient {
  clientId: string;
  clientSecret: string;
  /** Grants this client may use: 'password', 'refresh_token', 'client_credentials', 'jwt_bearer'. */
  grants: ('password' | 'refresh_token' | 'client_credentials' | 'jwt_bearer')[];
  /** User the client_credentials grant acts as (ServiceNow's "OAuth Application User"). */
  clientCredentialsUser?: string;
  /** JWT verifier: RSA public key (PEM) and its key id, for the JWT bearer grant. */
  jwtVerifier?: { kid: string; publicKeyPem: string };
}

export interface SimulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed of all generated ids, data and fault draws (default 1). */
  seed?: number;
  behaviour?: BehaviourChange;
  /** Synthetic rows to generate at start, per table: { incident: 1_000_000 }. */
  generate?: Record<string, number>;
  /** Extra users or replacements of the demo users (admin/admin, itil/itil). */
  users?: SimulatorUser[];
  /** Extra OAuth clients or replacements of the demo client (snconnect-demo / demo-secret). */
  oauthClients?: SimulatorOAuthClient[];
  /** Entries kept in the request log (default 1000). */
  requestLogSize?: number;
  /**
   * Serve https: `true` generates a self-signed certificate for localhost/127.0.0.1/::1 (its PEM file path is
   * `certificatePath`, removed on close); or your own PEM texts, or PEM files.
   */
  tls?: true | { cert: string; key: string } | { certFile: string; keyFile: string };
  /**
   * The instance URL links are written with (ServiceNow's glide.servlet.uri), e.g. https://dev12345.service-now.com.
   * Default: the request's scheme and Host, X-Forwarded-Proto / X-Forwarded-Host honoured.
   */
  publicUrl?: string;
}

export interface SimulatorStats {
  totalRequests: number;
  /** 'METHOD route', e.g. 'GET /api/now/table/{table}'. */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  /** Token requests per grant type (including failed ones). */
  tokenRequests: Record<string, number>;
  faultsInjected: Partial<Record<FaultKind, number>>;
  rateLimited: number;
  authFailures: number;
  /** The concurrency gate (maxConcurrent): active and queued requests, peaks, waits and 429 refusals. */
  concurrency?: GateSnapshot;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Route template, e.g. 'GET /api/now/table/{table}'. */
  route: string;
  query: Record<string, string>;
  /** Lower-case names; Authorization (and cookies) redacted. */
  headers: Record<string, string>;
  /** Request body as text with secrets redacted. */
  body: string;
  /** Response status; 0 when the connection was reset. */
  status: number;
  /** Fault injected into this request, if any. */
  fault?: FaultKind;
  /** Authenticated user, if any. */
  user?: string;
}

export interface SimulatorDb {
  insert(table: string, values: Record<string, string>): RecordValues;
  get(table: string, sysId: string): RecordValues | undefined;
  update(table: string, sysId: string, values: Record<string, string>): RecordValues | undefined;
  delete(table: string, sysId: string): boolean;
  count(table: string, encodedQuery?: string): number;
  list(table: string, encodedQuery?: string): RecordValues[];
  /** Appends n synthetic rows (fast; for load tests). */
  generate(table: string, n: number): void;
  tables(): string[];
}

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** With `tls`: the certificate clients must trust (PEM) and, when it is in a file, that file's path. */
  readonly certificatePem?: string;
  readonly certificatePath?: string;
  close(): Promise<void>;
  configure(behaviour: BehaviourChange): void;
  behaviour(): SimulatorBehaviour;
  stats(): SimulatorStats;
  resetStats(): void;
  /** The concurrency gate now: limits, active and queued requests, peaks, waits, 429 refusals. */
  concurrency(): GateSnapshot;
  requests(): ReadonlyArray<RequestLogEntry>;
  clearRequests(): void;
  /** Makes every issued access token expire now (to test refresh on 401). */
  expireTokens(): void;
  readonly db: SimulatorDb;
}
