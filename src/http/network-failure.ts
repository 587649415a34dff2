// Classifies a failure of undici (no HTTP response) by what it tells us about the request:
// did it provably never reach the server, or may the server have received (and applied) it?

export interface NetworkFailure {
  /** TIMEOUT for connect/headers/body timeouts, CONNECTION_ERROR otherwise. */
  code: 'TIMEOUT' | 'CONNECTION_ERROR';
  /** Short human text, e.g. "connection refused"; never holds a secret. */
  reason: string;
  /** False only when the request provably never left this process (refused, DNS, connect timeout, TLS). */
  mayHaveReachedServer: boolean;
  /** Whether another attempt could succeed (a bad certificate will not get better). */
  retryable: boolean;
}

const NEVER_SENT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed temporarily (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function errorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && cur !== null && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // A dual-stack connect failure arrives as an AggregateError whose parts carry the code.
    const parts = (cur as { errors?: unknown }).errors;
    if (Array.isArray(parts) && parts.length > 0) cur = parts[0];
    else cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function classifyNetworkError(err: unknown): NetworkFailure {
  const code = errorCode(err) ?? 'UNKNOWN';
  const neverSent = NEVER_SENT[code];
  if (neverSent !== undefined) {
    return {
      code: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'TIMEOUT' : 'CONNECTION_ERROR',
      reason: neverSent,
      mayHaveReachedServer: false,
      retryable: true,
    };
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
    return { code: 'CONNECTION_ERROR', reason: `TLS handshake failed (${code})`, mayHaveReachedServer: false, retryable: false };
  }
  switch (code) {
    // undici checks the request (method, path, header names and values) before it opens a socket.
    case 'UND_ERR_INVALID_ARG':
      return { code: 'CONNECTION_ERROR', reason: 'the request could not be built (undici refused it locally); nothing was sent', mayHaveReachedServer: false, retryable: false };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { code: 'TIMEOUT', reason: 'no response headers within the headers timeout', mayHaveReachedServer: true, retryable: true };
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'TIMEOUT', reason: 'response body stalled beyond the body timeout', mayHaveReachedServer: true, retryable: true };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return { code: 'CONNECTION_ERROR', reason: 'connection closed by the server before the response completed', mayHaveReachedServer: true, retryable: true };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { code: 'CONNECTION_ERROR', reason: 'response shorter than its Content-Length', mayHaveReachedServer: true, retryable: true };
    default:
      return { code: 'CONNECTION_ERROR', reason: `network error (${code})`, mayHaveReachedServer: true, retryable: true };
  }
}
