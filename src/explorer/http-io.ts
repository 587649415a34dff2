// Small request/response helpers of the explorer's API: JSON bodies with a size cap, JSON answers scrubbed of
// secrets, and the checks that keep the API to this machine's own pages.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectorError, isConnectorError } from '../errors.js';
import { redactText } from '../logger.js';
import type { ErrorView } from './api-types.js';
import type { SecretScrubber } from './secrets.js';

const MAX_BODY = 5 * 1024 * 1024;

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  // A JSON content type cannot be sent by a plain cross-site form, so another site cannot drive the API.
  if (!(req.headers['content-type'] ?? '').includes('application/json')) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', message: 'explorer: requests must be JSON (Content-Type: application/json)' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `explorer: request body larger than ${MAX_BODY} bytes` });
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', message: 'explorer: the request body is not JSON' });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', message: 'explorer: the request body must be a JSON object' });
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, value: unknown, scrubber: SecretScrubber): void {
  const body = scrubber.json(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function errorView(err: unknown): ErrorView {
  if (isConnectorError(err)) {
    const json = err.toJSON();
    return { code: json.code, message: json.message, ...(json.parameter ? { parameter: json.parameter } : {}), ...(json.operation ? { operation: json.operation } : {}), ...(json.status ? { status: json.status } : {}), ...(json.detail ? { detail: json.detail } : {}) };
  }
  return { code: 'INTERNAL_ERROR', message: redactText(err instanceof Error ? err.message : String(err)) };
}

/** Host header of a page served from this machine: a DNS name pointing elsewhere cannot reach the API (rebinding). */
export function localHost(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '';
}
