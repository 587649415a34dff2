// ServiceNow's paths, matched to a route kind with its parameters and the template used in stats.
import { matchProductRoute } from './product-routes.js';

export type RouteKind = 'table' | 'stats' | 'import' | 'importMultiple' | 'importGet' | 'attachment' | 'batch' | 'oauth' | 'admin' | 'cmdb' | 'catalog' | 'change' | 'unknown';

export interface RouteMatch {
  readonly kind: RouteKind;
  readonly params: Record<string, string>;
  /** 'METHOD /path/{param}' for stats; versioned paths count under the plain one. */
  readonly template: string;
  /** Whether the route needs an authenticated user. */
  readonly secured: boolean;
}

const TABLE = /^\/api\/now\/(?:v[12]\/)?table\/([^/]+)(?:\/([^/]+))?\/?$/;
const STATS = /^\/api\/now\/(?:v1\/)?stats\/([^/]+)\/?$/;
const IMPORT = /^\/api\/now\/(?:v1\/)?import\/([^/]+)(?:\/([^/]+))?\/?$/;
// Attachment and Batch APIs (attachment-api.ts, batch-api.ts).
const ATTACHMENT = /^\/api\/now\/(?:v1\/)?attachment(\/.*)?$/;
const BATCH = /^\/api\/now\/(?:v1\/)?batch\/?$/;

/** Throws URIError for a path segment that is not valid percent-encoding. */
export function matchRoute(method: string, path: string): RouteMatch {
  let m = TABLE.exec(path);
  if (m) {
    const params: Record<string, string> = { table: decodeURIComponent(m[1]) };
    if (m[2] !== undefined) params.sys_id = decodeURIComponent(m[2]);
    return { kind: 'table', params, template: `${method} /api/now/table/{table}${m[2] !== undefined ? '/{sys_id}' : ''}`, secured: true };
  }
  m = STATS.exec(path);
  if (m) return { kind: 'stats', params: { table: decodeURIComponent(m[1]) }, template: `${method} /api/now/stats/{table}`, secured: true };
  m = IMPORT.exec(path);
  if (m) {
    const staging = decodeURIComponent(m[1]);
    if (m[2] === undefined) return { kind: 'import', params: { staging }, template: `${method} /api/now/import/{staging}`, secured: true };
    if (m[2] === 'insertMultiple') return { kind: 'importMultiple', params: { staging }, template: `${method} /api/now/import/{staging}/insertMultiple`, secured: true };
    return { kind: 'importGet', params: { staging, sys_id: decodeURIComponent(m[2]) }, template: `${method} /api/now/import/{staging}/{sys_id}`, secured: true };
  }
  m = ATTACHMENT.exec(path);
  if (m) {
    const rest = m[1] ?? '';
    const template = rest === '' || rest === '/' ? '' : rest === '/file' ? '/file' : rest.endsWith('/file') ? '/{sys_id}/file' : '/{sys_id}';
    return { kind: 'attachment', params: { rest: decodeURIComponent(rest) }, template: `${method} /api/now/attachment${template}`, secured: true };
  }
  // CMDB Instance, Service Catalog and Change Management APIs (product-routes.ts).
  const product = matchProductRoute(method, path);
  if (product) return product;
  if (BATCH.test(path)) return { kind: 'batch', params: {}, template: `${method} /api/now/v1/batch`, secured: true };
  if (path === '/oauth_token.do') return { kind: 'oauth', params: {}, template: `${method} /oauth_token.do`, secured: false };
  if (path.startsWith('/__sim/')) return { kind: 'admin', params: { action: path.slice('/__sim/'.length) }, template: `${method} ${path}`, secured: false };
  return { kind: 'unknown', params: {}, template: `${method} (unknown)`, secured: path.startsWith('/api/') };
}
