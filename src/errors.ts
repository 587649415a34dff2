// One error type for everything the connector reports. The code says what kind of failure it is;
// the message names the operation and, where there is one, the parameter.

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
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ConnectorError';
    this.code = init.code;
    this.detail = init.detail ?? null;
    this.operation = init.operation;
    this.parameter = init.parameter;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.response = init.response;
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
