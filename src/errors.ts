// One error type for everything the connector reports. The code says what kind of failure it is;
// the message names the operation and, where there is one, the parameter.
import { redact, redactText } from './redact.js';

export type ErrorCode =
  | 'INVALID_PARAMETER'
  | 'MISSING_PARAMETER'
  | 'AUTH_FAILED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'CONNECTION_ERROR'
  | 'OUTCOME_UNKNOWN'
  | 'SERVICENOW_ERROR'
  | 'DESCRIPTOR_ERROR'
  | 'SEQUENCE_ERROR';

export interface ConnectorErrorInit {
  code: ErrorCode;
  message: string;
  /** ServiceNow's `error.detail`, or more context; never a secret. */
  detail?: string | null;
  operation?: string;
  parameter?: string;
  /** HTTP status when the failure came from a response. */
  status?: number;
  /** True when repeating the same call may succeed (rate limits, 5xx, network). */
  retryable?: boolean;
  /**
   * When ServiceNow answered with an error status: its body as sent (parsed JSON, or text). Flows use it as the
   * payload (WSO2 status semantics: a 4xx/5xx answer is a response, not a fault). Never part of toJSON().
   */
  response?: { body: unknown; headers: Record<string, string> };
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | null;
  readonly operation: string | undefined;
  readonly parameter: string | undefined;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly response: { body: unknown; headers: Record<string, string> } | undefined;

  constructor(init: ConnectorErrorInit) {
    // Redacted here, once for every error of the runtime: a message or detail quoting a server's answer may echo a
    // secret (a password in a 401 body, a client secret in an OAuth error_description).
    super(redactText(init.message), init.cause === undefined ? undefined : { cause: redactedCause(init.cause) });
    this.name = 'ConnectorError';
    this.code = init.code;
    this.detail = init.detail === undefined || init.detail === null ? null : redactText(init.detail);
    this.operation = init.operation;
    this.parameter = init.parameter;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    // The body becomes a flow's payload: an echoed secret in it is masked like any other output.
    this.response = init.response === undefined ? undefined : { body: redact(init.response.body), headers: redact(init.response.headers) };
  }

  /** The shape the CLI prints and the mediation layer stores in ERROR_* properties. */
  toJSON(): { code: ErrorCode; message: string; detail: string | null; operation?: string; parameter?: string; status?: number } {
    return {
      code: this.code,
      message: this.message,
      detail: this.detail,
      ...(this.operation ? { operation: this.operation } : {}),
      ...(this.parameter ? { parameter: this.parameter } : {}),
      ...(this.status ? { status: this.status } : {}),
    };
  }
}

export function isConnectorError(err: unknown): err is ConnectorError {
  return err instanceof ConnectorError;
}

/** An underlying error whose message would show a secret is replaced by a copy with the message masked. */
function redactedCause(cause: unknown): unknown {
  if (!(cause instanceof Error) || cause instanceof ConnectorError) return cause;
  const masked = redactText(cause.message);
  if (masked === cause.message) return cause;
  const copy = new Error(masked);
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code: string }).code = code;
  return copy;
}
