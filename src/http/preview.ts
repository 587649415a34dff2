// A request as the transport would send it, built by the same functions the transport sends with (request target,
// headers), so a dry run can never show something other than what goes on the wire. Nothing is sent.
import { redact } from '../logger.js';
import { requestTarget } from './request-target.js';
import type { OutgoingRequest, RequestPreview } from './types.js';
import { buildHeaders, checkHeaderValues } from './wire.js';

export function previewRequest(origin: string, basePath: string, scheme: string, req: OutgoingRequest): RequestPreview {
  const headers = buildHeaders(req, undefined);
  checkHeaderValues(req, headers);
  // The credential itself is never computed for a preview (no token is fetched): only its scheme is shown.
  const shown = redact(headers);
  shown['authorization'] = `${scheme} ***`;
  return {
    operation: req.operation,
    method: req.method,
    url: origin + requestTarget(basePath, req.path, req.query),
    path: req.path,
    query: req.query,
    headers: shown,
    body: bodyPreview(req.body),
    idempotent: req.idempotent,
  };
}

function bodyPreview(body: OutgoingRequest['body']): unknown {
  if (body === undefined) return null;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return Buffer.isBuffer(body) ? `<${body.length} bytes>` : '<stream>';
}
