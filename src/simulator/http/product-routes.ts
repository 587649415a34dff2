// Paths of the CMDB Instance, Service Catalog and Change Management APIs (api/cmdb-api.ts, catalog-api.ts,
// change-api.ts), plain and versioned. Kept apart from routes.ts so those APIs are added in files of their own.
import type { RouteMatch } from './routes.js';

const CMDB = /^\/api\/now\/(?:v[12]\/)?cmdb\/instance\/([^/]+)(?:\/([^/]+)(?:\/(relation)(?:\/([^/]+))?)?)?\/?$/;
const CATALOG = /^\/api\/sn_sc\/(?:v[12]\/)?servicecatalog(\/.*)?$/;
const CHANGE = /^\/api\/sn_chg_rest\/(?:v1\/)?change(\/.*)?$/;

/** Throws URIError for a path segment that is not valid percent-encoding. */
export function matchProductRoute(method: string, path: string): RouteMatch | undefined {
  let m = CMDB.exec(path);
  if (m) {
    const params: Record<string, string> = { className: decodeURIComponent(m[1]!) };
    let template = '/api/now/cmdb/instance/{className}';
    if (m[2] !== undefined) {
      params.sys_id = decodeURIComponent(m[2]);
      template += '/{sys_id}';
    }
    if (m[3] !== undefined) {
      params.relation = 'relation';
      template += '/relation';
    }
    if (m[4] !== undefined) {
      params.rel_sys_id = decodeURIComponent(m[4]);
      template += '/{rel_sys_id}';
    }
    return { kind: 'cmdb', params, template: `${method} ${template}`, secured: true };
  }
  m = CATALOG.exec(path);
  if (m) return { kind: 'catalog', params: { rest: decodeURIComponent(m[1] ?? '') }, template: `${method} /api/sn_sc/servicecatalog${templateOf(m[1] ?? '')}`, secured: true };
  m = CHANGE.exec(path);
  if (m) return { kind: 'change', params: { rest: decodeURIComponent(m[1] ?? '') }, template: `${method} /api/sn_chg_rest/change${templateOf(m[1] ?? '')}`, secured: true };
  return undefined;
}

/** The rest of a path with its sys_ids as {sys_id}, for request statistics. */
function templateOf(rest: string): string {
  return rest.replace(/\/[0-9a-f]{32}(?=\/|$)/g, '/{sys_id}');
}
