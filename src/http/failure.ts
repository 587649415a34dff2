// What went wrong with one attempt, in the terms the retry loop decides on: may the server have applied
// the request, may another attempt help, and what to report if the transport gives up.
import type { ErrorCode } from '../errors.js';
import { redactText } from '../logger.js';
import { classifyNetworkError } from './network-failure.js';
import type { IncomingResponse } from './types.js';

export interface Failure {
  /** Code of the error thrown when giving up without a response to return. */
  code: ErrorCode;
  /** Short text for messages and logs; never holds a secret. */
  reason: string;
  /** 'no': the server did not apply the request (never sent, or rejected before processing, like 429). */
  applied: 'no' | 'maybe';
  retryable: boolean;
  retryAfterMs?: number;
  /** The HTTP response behind the failure, returned as is when the transport gives up and that is safe. */
  response?: IncomingResponse;
  status?: number;
  /** A 401 after which a fresh credential may help. */
  refreshable?: boolean;
  cause?: unknown;
}

export function networkFailure(err: unknown): Failure {
  const f = classifyNetworkError(err);
  return { code: f.code, reason: f.reason, applied: f.mayHaveReachedServer ? 'maybe' : 'no', retryable: f.retryable, cause: stripSecrets(err) };
}

/** Keeps an undici error's class, code and message for diagnosis, but nothing that could carry a header. */
function stripSecrets(err: unknown): unknown {
  if (!(err instanceof Error)) return undefined;
  const copy = new Error(redactText(err.message));
  copy.name = err.name;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code: string }).code = code;
  return copy;
}

/** ServiceNow's error.message from an error envelope, for an error's detail. */
export function serviceNowMessage(res: IncomingResponse): string | null {
  try {
    const parsed = JSON.parse(res.body) as { error?: { message?: unknown } };
    const message = parsed.error?.message;
    return typeof message === 'string' ? redactText(message) : null;
  } catch {
    return null;
  }
}
