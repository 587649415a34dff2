// The request a form would send, from the connection's own preview(): the URL with its encoded query, the headers
// the transport adds (the credential shown only as its scheme), the body; for an all-pages read, the first page as
// the paging engine asks for it (the stream the page opens counts the total, so the preview does too).
import type { Connection } from '../invoke/types.js';
import type { PreviewView } from './api-types.js';

export function previewRequest(connection: Connection, operation: string, params: Record<string, unknown>, allPages: boolean): PreviewView {
  const preview = connection.preview(operation, params, { countTotal: true });
  return { method: preview.method, url: preview.url, headers: preview.headers, body: preview.body, ...(allPages ? { firstPageOf: operation } : {}) };
}
