// What `snconnect invoke ... --dry-run` prints: the request exactly as the transport would send it (URL with its
// encoded query, the headers the transport adds, the body), with the credential shown only as its scheme.
import { loadCatalogue, type Catalogue } from '../../catalogue/index.js';
import { buildHeaders } from '../../http/wire.js';
import { requestTarget } from '../../http/request-target.js';
import type { OutgoingRequest } from '../../http/types.js';
import { bindParameters } from '../../invoke/bind.js';
import { buildSettings } from '../../invoke/settings.js';
import { validateParameters } from '../../invoke/validate.js';
import { redact } from '../../logger.js';

export interface DryRunView {
  method: string;
  url: string;
  path: string;
  query: ReadonlyArray<readonly [string, string]>;
  headers: Record<string, string>;
  /** A JSON body parsed (for reading), other text as it is; null when there is none. */
  body: unknown;
  idempotent: boolean;
}

export async function dryRunView(req: OutgoingRequest, catalogueDir: string | undefined, initParams: Record<string, unknown>): Promise<DryRunView> {
  const catalogue: Catalogue = await loadCatalogue(catalogueDir);
  const values = bindParameters(catalogue.init, initParams, undefined);
  validateParameters(catalogue.init, values);
  const settings = buildSettings(catalogue.init, values);
  const base = new URL(settings.baseUrl);
  const scheme = settings.auth?.type === 'oauth2' ? 'Bearer' : 'Basic';
  // The credential itself is never computed here (no token is fetched): only its scheme is shown.
  const headers = redact(buildHeaders(req, undefined));
  headers['authorization'] = `${scheme} ***`;
  let body: unknown = null;
  if (typeof req.body === 'string') {
    try {
      body = JSON.parse(req.body);
    } catch {
      body = req.body;
    }
  } else if (req.body !== undefined) {
    body = Buffer.isBuffer(req.body) ? `<${req.body.length} bytes>` : '<stream>';
  }
  return {
    method: req.method,
    url: base.origin + requestTarget(base.pathname.replace(/\/+$/, ''), req.path, req.query),
    path: req.path,
    query: req.query,
    headers,
    body,
    idempotent: req.idempotent,
  };
}
