// The request a form would send, as the transport would send it (URL with its encoded query, the headers it adds,
// the body), the credential shown only as its scheme. Built from the connection's own prepare(), so it is exactly
// the runtime's rendering; nothing is sent and no token is fetched.
import type { ConnectionSettings } from '../http/index.js';
import { requestTarget } from '../http/request-target.js';
import { buildHeaders } from '../http/wire.js';
import type { Connection } from '../invoke/types.js';
import { redact } from '../logger.js';
import type { PreviewView } from './api-types.js';

export function previewRequest(connection: Connection, settings: ConnectionSettings, operation: string, params: Record<string, unknown>, allPages: boolean): PreviewView {
  const req = connection.prepare(operation, params);
  const base = new URL(settings.baseUrl);
  const headers = redact(buildHeaders(req, undefined));
  headers['authorization'] = `${settings.auth?.type === 'oauth2' ? 'Bearer' : 'Basic'} ***`;
  let body: unknown = null;
  if (typeof req.body === 'string') {
    try {
      body = JSON.parse(req.body);
    } catch {
      body = req.body;
    }
  } else if (req.body !== undefined) body = Buffer.isBuffer(req.body) ? `<${req.body.length} bytes>` : '<stream>';
  return {
    method: req.method,
    url: base.origin + requestTarget(base.pathname.replace(/\/+$/, ''), req.path, req.query),
    headers,
    body,
    ...(allPages ? { firstPageOf: operation } : {}),
  };
}
