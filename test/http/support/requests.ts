// Requests as the runtime would render them, for driving the Transport directly in tests.
import type { ConnectionSettings, IncomingResponse, OutgoingRequest } from '../../../src/http/index.js';

export function basicSettings(baseUrl: string, extra: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return {
    baseUrl,
    auth: { type: 'basic', username: 'admin', password: 'admin' },
    // Short waits keep the suite fast; the rules are the same as with the defaults.
    retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 50 },
    ...extra,
  };
}

export function listIncidents(query: ReadonlyArray<readonly [string, string]> = [['sysparm_limit', '5']]): OutgoingRequest {
  return { operation: 'getRecords', method: 'GET', path: '/api/now/table/incident', query, headers: { Accept: 'application/json' }, idempotent: true };
}

export function getIncident(sysId: string): OutgoingRequest {
  return { operation: 'getRecordById', method: 'GET', path: `/api/now/table/incident/${sysId}`, query: [], headers: {}, idempotent: true };
}

/** A create; with `idempotencyValue` it carries an outcome probe looking correlation_id up. */
export function createIncident(fields: Record<string, string>, idempotencyValue?: string): OutgoingRequest {
  const req: OutgoingRequest = {
    operation: 'postRecord',
    method: 'POST',
    path: '/api/now/table/incident',
    query: [],
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(idempotencyValue === undefined ? fields : { ...fields, correlation_id: idempotencyValue }),
    idempotent: false,
  };
  if (idempotencyValue !== undefined) {
    req.outcomeProbe = {
      request: {
        operation: 'postRecord',
        method: 'GET',
        path: '/api/now/table/incident',
        query: [
          ['sysparm_query', `correlation_id=${idempotencyValue}`],
          ['sysparm_limit', '1'],
        ],
        headers: {},
        idempotent: true,
      },
      interpret: foundRecordAsCreated,
    };
  }
  return req;
}

/** The probe's reading: a found row is reported as the create's 201 response. */
export function foundRecordAsCreated(res: IncomingResponse): IncomingResponse | undefined {
  const rows = (bodyOf(res) as { result?: unknown[] } | undefined)?.result;
  if (!Array.isArray(rows) || rows.length === 0) return undefined;
  const json = { result: rows[0] };
  return { status: 201, headers: res.headers, body: JSON.stringify(json), json, attempts: res.attempts };
}

export function recordOf(res: IncomingResponse): Record<string, unknown> {
  return (bodyOf(res) as { result: Record<string, unknown> }).result;
}

/** The body's value: the transport parses only a 2xx JSON body that does not end as JSON does (to spot a cut one). */
export function bodyOf(res: IncomingResponse): unknown {
  return res.json ?? (res.body === '' ? undefined : JSON.parse(res.body));
}
