// Contract between the invocation runtime (src/invoke) and the transport (src/http + src/auth).
// The runtime renders an operation into an OutgoingRequest; the transport sends it with auth,
// retries, timeouts and concurrency limits, and returns the raw response.
import type { Readable } from 'node:stream';
import type { Cancellation } from '../cancellation.js';
import type { AuthSettings } from '../auth/types.js';

export type { AuthSettings };

/** Connection settings built from the init operation's parameters (the mapping is declared in operations/init.xml). */
export interface ConnectionSettings {
  /** Instance base URL without a trailing slash, e.g. https://dev1234.service-now.com */
  baseUrl: string;
  auth: AuthSettings;
  timeouts?: {
    /** TCP/TLS connect, ms (default 10,000). */
    connectMs?: number;
    /** Time to the response headers, ms (default 60,000: ServiceNow cancels transactions at 60 s). */
    headersMs?: number;
    /** Idle time between body chunks, ms (default 60,000). */
    bodyMs?: number;
    /** Overall deadline of one operation including retries, ms (default 120,000). */
    deadlineMs?: number;
  };
  retry?: {
    /** Attempts after the first (default 3; 0 disables retries). */
    maxRetries?: number;
    /** First backoff, ms (default 200), doubled each attempt with full jitter. */
    initialDelayMs?: number;
    /** Cap of one backoff, ms (default 10,000). */
    maxDelayMs?: number;
    /**
     * A redelivered create (its earlier delivery's consumer died unseen) whose record the first lookup does not find
     * waits this long, ms, and looks again before sending it: the dead consumer may have sent it moments before and
     * the instance may still be inserting it (default 5,000; 0 looks once).
     */
    redeliveryWaitMs?: number;
  };
  /** Requests in flight at once on this connection (default 16). */
  maxConcurrency?: number;
  /**
   * Largest response body read whole, bytes (default 256 MiB); a larger one fails unread and is not retried.
   * Streamed bodies (all-pages reads, downloads handed over as a stream) are not capped: they never sit in memory whole.
   */
  maxResponseBytes?: number;
  tls?: {
    /** PEM CA bundle (contents, not a path). */
    ca?: string;
    /** PEM client certificate and key for mutual TLS. */
    cert?: string;
    key?: string;
    /** Defaults to true; false only when explicitly set, with a warning. */
    rejectUnauthorized?: boolean;
  };
  /** Outbound proxy URL; when absent HTTP(S)_PROXY / NO_PROXY from the environment apply. */
  proxyUrl?: string;
}

export interface OutgoingRequest {
  /** Operation name, used in error messages and logs. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with every segment already percent-encoded, starting with '/'. */
  path: string;
  /** Query parameters, not yet encoded; the transport encodes them. */
  query: ReadonlyArray<readonly [string, string]>;
  headers: Record<string, string>;
  body?: string | Buffer | Readable;
  /** Whether the request may be repeated safely (GET/PUT/PATCH/DELETE of a given sys_id). */
  idempotent: boolean;
  /** Aborts the request (and its retries): an AbortSignal, or the runtime's cheaper Cancellation. */
  signal?: AbortSignal | Cancellation;
  /**
   * For a non-idempotent request (a create): how to find out whether an attempt whose outcome is unknown
   * (connection reset after sending, timeout, 5xx, truncated body) was applied after all. The transport
   * sends `request` (a GET looking the idempotency value up); `interpret` returns the response to report
   * when the record exists (the create happened), or undefined when it does not (the create is repeated).
   */
  outcomeProbe?: OutcomeProbe;
  /**
   * Told before each retry wait (a 429, a 5xx, a reset...): lets a caller that paces its own requests (an adaptive
   * concurrency limit) see the pressure the transport absorbs. Must not throw.
   */
  onRetry?: (retry: RetryNotice) => void;
}

/** Why the transport is about to retry, and how long it will wait first. */
export interface RetryNotice {
  status?: number;
  /** The server's Retry-After (or rate-limit reset), when it sent one. */
  retryAfterMs?: number;
  delayMs: number;
}

export interface OutcomeProbe {
  request: OutgoingRequest;
  /**
   * Look the record up before the first attempt too: the same create was sent before by a delivery whose outcome
   * nobody saw (a redelivered message whose consumer died), so it may exist already.
   */
  first?: boolean;
  /** Called only with a 2xx answer of `request` (a failed lookup leaves the outcome unknown, it never means "absent"). */
  interpret(res: IncomingResponse): IncomingResponse | undefined;
}

export interface IncomingResponse {
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** The whole body as text ('' for 204). */
  body: string;
  /** Attempts made, including the first (for metrics and notes). */
  attempts: number;
  /**
   * The body already parsed, when it was: the transport parses a 2xx JSON body that does not end as an object or
   * array does (to tell ServiceNow's truncated 200 from a real answer), and leaves the others to whoever reads them.
   */
  json?: unknown;
}

/**
 * A request exactly as the transport would put it on the wire, nothing sent (dry runs, the explorer): the absolute
 * URL with its encoded query, every header the transport adds, the credential shown only as its scheme.
 */
export interface RequestPreview {
  operation: string;
  method: OutgoingRequest['method'];
  /** Absolute URL: the instance origin and base path, the operation's path and the encoded query. */
  url: string;
  /** The operation's path (below the instance's base path), percent-encoded. */
  path: string;
  /** Query parameters before encoding, in the order sent. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lower-case names as sent; `authorization` is `Basic ***` or `Bearer ***` (no token is fetched for a preview). */
  headers: Record<string, string>;
  /** A JSON body parsed (for reading), other text as it is, `<N bytes>` for bytes, `<stream>` for a stream; null when there is none. */
  body: unknown;
  idempotent: boolean;
}

/** A response whose body is handed over unread (large reads); same auth and retry rules up to the headers. */
export interface StreamingResponse {
  status: number;
  headers: Record<string, string>;
  /** Must be consumed or destroyed: it holds one of the connection's slots until then. */
  body: Readable;
  attempts: number;
}
