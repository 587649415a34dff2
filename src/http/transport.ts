// The transport of one connection: sends the runtime's requests over one pooled undici dispatcher with
// auth, retries, timeouts and the exactly-once rule for creates. HTTP error statuses are returned as
// responses (the runtime maps ServiceNow's error envelope); only failures without a usable response throw.
//
// Retry rules (docs/resilience.md explains why):
//   idempotent request: retry 429, 500, 502, 503, 504, network errors, timeouts and a truncated 200.
//   non-idempotent (POST): retry only when the server provably did not apply it: connect refused, DNS,
//     connect timeout, TLS, 429. Anything else may have been applied: with an outcomeProbe, look the record
//     up and either report it or repeat the POST; without one, throw OUTCOME_UNKNOWN.
//   every retry waits (Retry-After, else exponential backoff with full jitter) and stays within
//   maxRetries and the operation's deadline.
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { Authenticator } from '../auth/authenticator.js';
import { createAuthenticator, type FormResponse } from '../auth/index.js';
import { Cancellation } from '../cancellation.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import { quietLogger, type Logger } from '../logger.js';
import { readLimited } from './body-limit.js';
import { closesAsJsonContainer, parseJsonOrUndefined } from './json-body.js';
import { backoffDelay, parseRateLimitReset, parseRetryAfter, sleep } from './backoff.js';
import { createDispatcher, DEFAULTS } from './dispatcher.js';
import { withHeaderViewsReleased } from './header-views.js';
import { networkFailure, serviceNowMessage, type Failure } from './failure.js';
import { requestTarget } from './request-target.js';
import { sendRequest } from './undici-modules.js';
import { previewRequest } from './preview.js';
import type { ConnectionSettings, IncomingResponse, OutgoingRequest, RequestPreview, StreamingResponse } from './types.js';
import { buildHeaders, checkHeaderValues, flattenHeaders, isJson, isStream, readQuietly } from './wire.js';

/** Counters for notes, benchmarks and the soak test. */
export interface TransportStats {
  /** Operations sent (send/open calls, probes and token requests included). */
  requests: number;
  /** HTTP exchanges attempted, first attempts included. */
  attempts: number;
  /** Attempts repeated after a retryable failure. */
  retries: number;
  /** Outcome probes run for creates whose outcome was unknown. */
  probes: number;
  /** Probes that found the record (the create had happened). */
  probesFound: number;
  /** Requests repeated once after a 401 with a fresh token. */
  authRefreshes: number;
  /** OUTCOME_UNKNOWN errors thrown. */
  outcomeUnknown: number;
}

type Attempt<R> = { ok: true; response: R } | { ok: false; failure: Failure };

/** Per-operation state: where to send, until when, and how it can be aborted. */
interface Run {
  origin: string;
  basePath: string;
  deadlineAt: number;
  deadlineMs: number;
  signal: Cancellation;
  authenticate: boolean;
}

const DEADLINE = Symbol('deadline');

/** The deadline timer's callback (shared: no closure per run). */
function abortAt(run: Cancellation, reason: unknown): void {
  run.abort(reason);
}

export class Transport {
  private readonly dispatcher: Dispatcher;
  /** The same pool for streamed responses (pages), with header-views.ts in front; made on the first one. */
  private streamingPool: Dispatcher | undefined;
  private readonly auth: Authenticator;
  private readonly logger: Logger;
  private readonly origin: string;
  private readonly basePath: string;
  /** Overall deadline of one operation, retries included, ms. */
  readonly deadlineMs: number;
  private readonly maxRetries: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly redeliveryWaitMs: number;
  /** Largest body read whole, bytes (maxResponseBytes). */
  readonly maxResponseBytes: number;
  /** Connections to the instance at most (maxConcurrency): requests beyond wait for one. */
  readonly connections: number;
  private closed = false;
  private readonly counters: TransportStats = {
    requests: 0,
    attempts: 0,
    retries: 0,
    probes: 0,
    probesFound: 0,
    authRefreshes: 0,
    outcomeUnknown: 0,
  };

  constructor(settings: ConnectionSettings, options: { logger?: Logger } = {}) {
    this.logger = options.logger ?? quietLogger;
    let url: URL;
    try {
      url = new URL(settings.baseUrl);
    } catch {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: 'baseUrl', message: 'init: baseUrl is not an absolute URL (expected e.g. https://dev1234.service-now.com)' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: 'baseUrl', message: `init: baseUrl must use http or https, got ${url.protocol}` });
    }
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.deadlineMs = settings.timeouts?.deadlineMs ?? DEFAULTS.deadlineMs;
    this.maxRetries = settings.retry?.maxRetries ?? DEFAULTS.maxRetries;
    this.initialDelayMs = settings.retry?.initialDelayMs ?? DEFAULTS.initialDelayMs;
    this.maxDelayMs = settings.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs;
    this.redeliveryWaitMs = settings.retry?.redeliveryWaitMs ?? DEFAULTS.redeliveryWaitMs;
    this.maxResponseBytes = settings.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
    this.connections = settings.maxConcurrency ?? DEFAULTS.maxConcurrency;
    this.dispatcher = createDispatcher(settings, this.logger);
    this.auth = createAuthenticator(settings.auth, settings.baseUrl, (tokenUrl, form) => this.postForm(tokenUrl, form), this.logger);
  }

  /** Sends one request and returns the whole response (error statuses included). */
  send(req: OutgoingRequest): Promise<IncomingResponse> {
    return this.execute(req, false) as Promise<IncomingResponse>;
  }

  /** Like send, but hands the body over as a stream once the headers are in (for large reads). */
  open(req: OutgoingRequest): Promise<StreamingResponse> {
    return this.execute(req, true) as Promise<StreamingResponse>;
  }

  /** The request as send() would put it on the wire, with the credential shown only as its scheme; nothing is sent. */
  preview(req: OutgoingRequest): RequestPreview {
    return previewRequest(this.origin, this.basePath, this.auth.scheme, req);
  }

  stats(): TransportStats {
    return { ...this.counters };
  }

  private streamingDispatcher(): Dispatcher {
    this.streamingPool ??= withHeaderViewsReleased(this.dispatcher);
    return this.streamingPool;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dispatcher.close();
  }

  private async execute(req: OutgoingRequest, streaming: boolean, inherited?: Run): Promise<IncomingResponse | StreamingResponse> {
    if (this.closed) {
      throw new ConnectorError({ code: 'CONNECTION_ERROR', operation: req.operation, message: `${req.operation}: the connection is closed` });
    }
    if (inherited) return this.retryLoop(req, streaming, inherited);
    const abort = new Cancellation();
    const timer = setTimeout(abortAt, this.deadlineMs, abort, DEADLINE);
    // The caller's signal aborts the run too, until the response is read: whole (when execute returns) or, for a
    // streamed body, until that stream closes.
    const detach = req.signal ? abort.follow(req.signal) : undefined;
    const run: Run = {
      origin: this.origin,
      basePath: this.basePath,
      deadlineAt: Date.now() + this.deadlineMs,
      deadlineMs: this.deadlineMs,
      signal: abort,
      authenticate: true,
    };
    let streamed: Readable | undefined;
    try {
      const response = await this.retryLoop(req, streaming, run);
      if (streaming && detach && isStream(response.body)) streamed = response.body as Readable;
      return response;
    } finally {
      clearTimeout(timer);
      if (streamed) streamed.once('close', detach!);
      else detach?.();
    }
  }

  private async retryLoop(req: OutgoingRequest, streaming: boolean, run: Run): Promise<IncomingResponse | StreamingResponse> {
    this.counters.requests++;
    let attempts = 0;
    let retries = 0;
    let refreshedAuth = false;
    if (req.outcomeProbe?.first) {
      const earlier = await this.lookUpEarlierDelivery(req, run);
      if (earlier) return earlier;
    }
    for (;;) {
      attempts++;
      this.counters.attempts++;
      const result = await this.attempt(req, streaming, run);
      if (result.ok) {
        result.response.attempts = attempts;
        return result.response;
      }
      const failure = result.failure;
      if (failure.refreshable && !refreshedAuth) {
        refreshedAuth = true;
        this.counters.authRefreshes++;
        continue;
      }
      if (!failure.retryable || isStream(req.body)) return this.giveUp(req, failure, attempts, false);
      const repeatable = req.idempotent || failure.applied === 'no';
      if (!repeatable && !req.outcomeProbe) return this.giveUp(req, failure, attempts, false);
      const delay = failure.retryAfterMs ?? backoffDelay(retries, this.initialDelayMs, this.maxDelayMs);
      // A 429 that says when to come back (Retry-After, X-RateLimit-Reset) is the instance pacing its callers, not a
      // fault: it is waited out until the deadline without using up a retry. Counting it, many requests sharing one
      // rate limit (a partitioned read's ranges) could each lose the race maxRetries times and give up. maxRetries=0
      // still means no retry at all.
      const paced = failure.status === 429 && failure.retryAfterMs !== undefined && this.maxRetries > 0;
      const mayRetry = (paced || retries < this.maxRetries) && Date.now() + delay < run.deadlineAt;
      if (repeatable && !mayRetry) return this.giveUp(req, failure, attempts, false);
      if (mayRetry) {
        req.onRetry?.({ ...(failure.status !== undefined ? { status: failure.status } : {}), ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}), delayMs: delay });
        this.logger.log('debug', `${req.operation}: ${failure.reason}; ${repeatable ? 'retry' : 'lookup'} in ${delay} ms (retry ${retries + 1} of ${this.maxRetries})`);
        try {
          // For a create, the wait comes before the lookup: it gives a server still finishing the insert time to commit it.
          await sleep(delay, run.signal);
        } catch (reason) {
          return this.giveUp(req, this.abortFailure(req, run, reason, failure), attempts, false);
        }
      }
      if (!repeatable) {
        const found = await this.probe(req, failure, run, attempts);
        if (found) {
          found.attempts = attempts;
          return found;
        }
        // After a timeout or a gateway timeout the instance may still be running the insert: "not found yet" is
        // no proof it will not appear, so repeating the POST could duplicate it.
        if (failure.code === 'TIMEOUT' || failure.status === 504) {
          throw this.outcomeUnknown(req, failure, attempts, 'the lookup by its idempotency value found nothing yet, but the instance may still be processing it');
        }
        if (!mayRetry) return this.giveUp(req, failure, attempts, true);
      }
      if (!paced) retries++;
      this.counters.retries++;
    }
  }

  /** One HTTP exchange. Never throws for network trouble: that becomes a Failure the loop decides on. */
  private async attempt(req: OutgoingRequest, streaming: boolean, run: Run): Promise<Attempt<IncomingResponse | StreamingResponse>> {
    let authorization: string | undefined;
    try {
      if (run.authenticate) authorization = await this.auth.authorization();
    } catch (err) {
      throw this.authError(req, err);
    }
    const requestHeaders = buildHeaders(req, authorization);
    checkHeaderValues(req, requestHeaders);
    let res: Dispatcher.ResponseData;
    try {
      res = await sendRequest(streaming ? this.streamingDispatcher() : this.dispatcher, {
        origin: run.origin,
        path: requestTarget(run.basePath, req.path, req.query),
        method: req.method,
        headers: requestHeaders,
        body: req.body,
        signal: run.signal,
      });
    } catch (err) {
      return { ok: false, failure: run.signal.aborted ? this.abortFailure(req, run, run.signal.reason) : networkFailure(err) };
    }
    const status = res.statusCode;
    const headers = flattenHeaders(res.headers);

    if (status === 401 && authorization !== undefined) {
      const body = await readQuietly(res.body, this.maxResponseBytes);
      const response: IncomingResponse = { status, headers, body, attempts: 0 };
      return { ok: false, failure: { code: 'AUTH_FAILED', reason: 'HTTP 401', applied: 'no', retryable: false, response, status, refreshable: this.auth.rejected(authorization) } };
    }
    if (status === 429 || status === 500 || status === 502 || status === 503 || status === 504) {
      const body = await readQuietly(res.body, this.maxResponseBytes);
      const response: IncomingResponse = { status, headers, body, attempts: 0 };
      return {
        ok: false,
        failure: {
          code: status === 429 ? 'RATE_LIMITED' : 'SERVICENOW_ERROR',
          reason: `HTTP ${status}`,
          // ServiceNow's rate limiter and its full-queue check answer 429 before running the transaction.
          applied: status === 429 ? 'no' : 'maybe',
          retryable: true,
          retryAfterMs: parseRetryAfter(headers['retry-after']) ?? (status === 429 ? parseRateLimitReset(headers['x-ratelimit-reset']) : undefined),
          response,
          status,
        },
      };
    }
    if (streaming) {
      return { ok: true, response: { status, headers, body: res.body as unknown as Readable, attempts: 0 } };
    }
    let body: string | undefined;
    try {
      body = await readLimited(res.body, this.maxResponseBytes, headers['content-length']);
    } catch (err) {
      return { ok: false, failure: run.signal.aborted ? this.abortFailure(req, run, run.signal.reason) : networkFailure(err) };
    }
    // Not a failure to retry: the same request would get the same body.
    if (body === undefined) throw this.tooLarge(req, status);
    const response: IncomingResponse = { status, headers, body, attempts: 0 };
    // A 2xx JSON body that ends as an object or array does is left for whoever reads it to parse (a served flow that
    // forwards it never does); any other is parsed here, so that a cut one is retried.
    if (status >= 200 && status < 300 && body.length > 0 && isJson(headers['content-type']) && !closesAsJsonContainer(body)) {
      try {
        response.json = JSON.parse(body);
      } catch {
        return {
          ok: false,
          failure: {
            code: 'SERVICENOW_ERROR',
            reason: `HTTP ${status} with a body that is not valid JSON (ServiceNow cut the response short, as it does when it cancels a transaction)`,
            applied: 'maybe',
            retryable: true,
            status,
          },
        };
      }
    }
    return { ok: true, response };
  }

  /**
   * A redelivered create: the consumer that died may have sent it just before, and the broker redelivers at once
   * (RabbitMQ requeues when the connection drops) while the instance may still be inserting that first one. So a
   * lookup that finds nothing is repeated once after redeliveryWaitMs before the create is sent.
   */
  private async lookUpEarlierDelivery(req: OutgoingRequest, run: Run): Promise<IncomingResponse | undefined> {
    const unseen: Failure = { code: 'OUTCOME_UNKNOWN', reason: 'an earlier delivery of this message whose answer was never seen', applied: 'maybe', retryable: false };
    const found = await this.probe(req, unseen, run, 0);
    if (found || this.redeliveryWaitMs <= 0) return found;
    this.logger.log('debug', `${req.operation}: redelivered create not found yet; looking again in ${this.redeliveryWaitMs} ms before sending it`);
    try {
      await sleep(this.redeliveryWaitMs, run.signal);
    } catch (reason) {
      return this.giveUp(req, this.abortFailure(req, run, reason, unseen), 0, false);
    }
    return this.probe(req, unseen, run, 0);
  }

  /** Runs the create's outcome probe: the record when the create happened, undefined when it provably did not. */
  private async probe(req: OutgoingRequest, failure: Failure, run: Run, attempts: number): Promise<IncomingResponse | undefined> {
    const probe = req.outcomeProbe!;
    this.counters.probes++;
    let res: IncomingResponse;
    try {
      res = (await this.execute(probe.request, false, run)) as IncomingResponse;
    } catch (err) {
      throw this.outcomeUnknown(req, failure, attempts, `the lookup by its idempotency value failed too (${isConnectorError(err) ? err.message : 'error'})`);
    }
    // Only a successful lookup says anything: a failed one must not be read as "not there" (that would duplicate).
    if (res.status < 200 || res.status >= 300) {
      throw this.outcomeUnknown(req, failure, attempts, `the lookup by its idempotency value answered HTTP ${res.status}`);
    }
    const found = probe.interpret(res);
    if (found) this.counters.probesFound++;
    this.logger.log('debug', `${req.operation}: outcome unknown after ${failure.reason}; lookup ${found ? 'found the record' : 'found nothing, repeating'}`);
    return found;
  }

  private giveUp(req: OutgoingRequest, failure: Failure, attempts: number, notApplied: boolean): IncomingResponse {
    if (!req.idempotent && failure.applied === 'maybe' && !notApplied) throw this.outcomeUnknown(req, failure, attempts);
    if (failure.response) {
      failure.response.attempts = attempts;
      return failure.response;
    }
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    const checked = notApplied ? '; the record was not created (checked by looking up its idempotency value)' : '';
    throw new ConnectorError({
      code: failure.code,
      message: `${req.operation}: ${failure.reason}${tries}${checked}`,
      operation: req.operation,
      status: failure.status,
      retryable: failure.retryable,
      cause: failure.cause,
    });
  }

  /** The error for a body over maxResponseBytes (also used by callers that read a streamed body whole). */
  tooLarge(req: OutgoingRequest, status: number): ConnectorError {
    const applied = !req.idempotent && status >= 200 && status < 300 ? ' ServiceNow answered it (it was applied), but' : '';
    return new ConnectorError({
      code: 'SERVICENOW_ERROR',
      operation: req.operation,
      status,
      retryable: false,
      message:
        `${req.operation}:${applied} the response body is larger than maxResponseBytes (${this.maxResponseBytes} bytes), so it was not read and the request is not repeated. ` +
        'Ask for less (fewer fields, a smaller page), read a list page by page (all-pages mode streams), or raise maxResponseBytes.',
    });
  }

  private outcomeUnknown(req: OutgoingRequest, failure: Failure, attempts: number, extra?: string): ConnectorError {
    this.counters.outcomeUnknown++;
    const tries = attempts > 1 ? ` (attempt ${attempts})` : '';
    this.logger.log('warn', `${req.operation}: outcome unknown after ${failure.reason}; not repeated`);
    return new ConnectorError({
      code: 'OUTCOME_UNKNOWN',
      message:
        `${req.operation}: the outcome is unknown: the request was sent${tries}, then ${failure.reason}, so ServiceNow may or may not have applied it` +
        (extra ? `, and ${extra}` : '') +
        '. It was not repeated, to avoid a duplicate; check before repeating it, or give the operation an idempotency field.',
      detail: failure.response ? serviceNowMessage(failure.response) : null,
      operation: req.operation,
      status: failure.status,
      retryable: false,
      cause: failure.cause,
    });
  }

  private abortFailure(req: OutgoingRequest, run: Run, reason: unknown, previous?: Failure): Failure {
    const base = { applied: 'maybe' as const, retryable: false, status: previous?.status };
    if (reason === DEADLINE) {
      return { ...base, code: 'TIMEOUT', reason: `timed out: the operation's deadline of ${run.deadlineMs} ms passed${previous ? ` while waiting to retry after ${previous.reason}` : ''}`, applied: previous?.applied ?? 'maybe', response: previous?.response };
    }
    return { ...base, code: 'CONNECTION_ERROR', reason: 'cancelled by the caller', applied: previous?.applied ?? 'maybe', response: previous?.response, cause: reason };
  }

  private authError(req: OutgoingRequest, err: unknown): ConnectorError {
    if (isConnectorError(err)) {
      return new ConnectorError({ code: err.code, message: `${req.operation}: ${err.message}`, detail: err.detail, operation: req.operation, status: err.status, retryable: err.retryable });
    }
    return new ConnectorError({ code: 'AUTH_FAILED', message: `${req.operation}: could not obtain credentials`, operation: req.operation });
  }

  /** The token endpoint call of the OAuth modes: same pool, timeouts and retries (a repeated token request is harmless). */
  private async postForm(url: string, form: string): Promise<FormResponse> {
    const target = new URL(url);
    const req: OutgoingRequest = {
      operation: 'OAuth token request',
      method: 'POST',
      path: target.pathname + target.search,
      query: [],
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      idempotent: true,
    };
    const abort = new Cancellation();
    const timer = setTimeout(abortAt, this.deadlineMs, abort, DEADLINE);
    try {
      const res = (await this.retryLoop(req, false, {
        origin: target.origin,
        basePath: '',
        deadlineAt: Date.now() + this.deadlineMs,
        deadlineMs: this.deadlineMs,
        signal: abort,
        authenticate: false,
      })) as IncomingResponse;
      return { status: res.status, json: res.json ?? (isJson(res.headers['content-type']) ? parseJsonOrUndefined(res.body) : undefined) };
    } finally {
      clearTimeout(timer);
    }
  }
}

