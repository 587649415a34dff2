// Finds the flow for a request, the way Synapse dispatches: the API whose context is the longest prefix of the
// path, then its first resource whose uri-template or url-mapping matches the rest (exact and templated matches
// before wildcard mappings) and whose methods include the request's; proxies answer at /services/<name>[/...].
// A path that matches a resource under another method is 405 with Allow; nothing matching is 404.
import type { ApiArtifact, ArtifactSet, ProxyArtifact, ResourceArtifact } from '../artifacts/index.js';

export interface RouteMatch {
  kind: 'api' | 'proxy';
  /** Label for logs and metrics: the API name or `proxy:<name>`. */
  name: string;
  /** The resource as written (`GET /incidents/{id}`), or `*` for a proxy. */
  resource: string;
  inSequence: string;
  outSequence?: string;
  /** Variables of the uri-template (path and query ones), for `uri.var.*`. */
  uriVars: Record<string, string>;
  /** The path after the API context (Synapse's REST_URL_POSTFIX), with the query string. */
  postfix: string;
  context: string;
}

export type RouteResult = RouteMatch | { kind: 'none'; status: 404 } | { kind: 'none'; status: 405; allow: string[] };

interface CompiledResource {
  resource: ResourceArtifact;
  label: string;
  /** 0: exact/templated (tried first), 1: wildcard mappings. */
  rank: number;
  match(path: string, query: URLSearchParams): Record<string, string> | undefined;
}

interface CompiledApi {
  api: ApiArtifact;
  resources: CompiledResource[];
}

export class Router {
  private readonly apis: CompiledApi[];
  private readonly proxies = new Map<string, ProxyArtifact>();

  constructor(artifacts: ArtifactSet) {
    this.apis = artifacts.apis
      .map((api) => ({ api, resources: api.resources.map(compileResource).sort((a, b) => a.rank - b.rank) }))
      // Longest context first, so /api/v2 wins over /api.
      .sort((a, b) => b.api.context.length - a.api.context.length);
    for (const p of artifacts.proxies) this.proxies.set(p.name, p);
  }

  route(method: string, rawPath: string): RouteResult {
    const q = rawPath.indexOf('?');
    // Matched as sent (so an encoded '/' stays inside its segment); variables are decoded when taken.
    const path = q < 0 ? rawPath : rawPath.slice(0, q);
    const search = q < 0 ? '' : rawPath.slice(q);
    const query = new URLSearchParams(search);
    let allow: string[] | undefined;
    for (const { api, resources } of this.apis) {
      const ctxPath = api.context === '/' ? '' : api.context;
      if (path !== ctxPath && !path.startsWith(`${ctxPath}/`)) continue;
      const rest = path.slice(ctxPath.length) || '/';
      for (const r of resources) {
        const vars = r.match(rest, query);
        if (!vars) continue;
        if (r.resource.methods.length > 0 && !r.resource.methods.includes(method) && !(method === 'HEAD' && r.resource.methods.includes('GET'))) {
          allow = [...new Set([...(allow ?? []), ...r.resource.methods])];
          continue;
        }
        return {
          kind: 'api',
          name: api.name,
          resource: r.label,
          inSequence: r.resource.inSequence,
          ...(r.resource.outSequence ? { outSequence: r.resource.outSequence } : {}),
          uriVars: vars,
          postfix: rawPath.slice(ctxPath.length) || '/',
          context: api.context,
        };
      }
      if (allow) return { kind: 'none', status: 405, allow };
    }
    const proxy = /^\/services\/([^/]+)(\/.*)?$/.exec(path);
    const target = proxy ? this.proxies.get(proxy[1]!) : undefined;
    if (target) {
      return {
        kind: 'proxy',
        name: `proxy:${target.name}`,
        resource: '*',
        inSequence: target.inSequence,
        ...(target.outSequence ? { outSequence: target.outSequence } : {}),
        uriVars: {},
        postfix: (proxy![2] ?? '') + search,
        context: `/services/${target.name}`,
      };
    }
    return { kind: 'none', status: 404 };
  }
}

function compileResource(resource: ResourceArtifact): CompiledResource {
  const methods = resource.methods.join(' ') || '*';
  if (resource.uriTemplate !== undefined) {
    const [pathPart, queryPart] = splitOnce(resource.uriTemplate, '?');
    const names: string[] = [];
    const source = (pathPart || '/')
      .split(/(\{[^}]+\})/)
      .map((piece) => {
        const m = /^\{\+?([^}]+)\}$/.exec(piece);
        if (!m) return escapeRegex(piece);
        names.push(m[1]!);
        // {+name} (reserved expansion) may span segments; {name} is one segment.
        return piece.startsWith('{+') ? '(.+)' : '([^/]+)';
      })
      .join('');
    const re = new RegExp(`^${source}/?$`);
    // `?q={q}&r={r}`: the query parameter q becomes uri.var.q; a missing one does not stop the match (as in Synapse).
    const queryVars = (queryPart ?? '').split('&').flatMap((pair) => {
      const [param, value] = splitOnce(pair, '=');
      const m = value ? /^\{([^}]+)\}$/.exec(value) : null;
      return param && m ? [[param, m[1]!] as const] : [];
    });
    return {
      resource,
      label: `${methods} ${resource.uriTemplate}`,
      rank: 0,
      match(path, query) {
        const m = re.exec(path);
        if (!m) return undefined;
        const vars: Record<string, string> = {};
        names.forEach((n, i) => (vars[n] = safeDecode(m[i + 1]!)));
        for (const [param, name] of queryVars) {
          const v = query.get(param);
          if (v !== null) vars[name] = v;
        }
        return vars;
      },
    };
  }
  const mapping = resource.urlMapping ?? '/*';
  const label = `${methods} ${mapping}`;
  if (mapping.endsWith('/*')) {
    const prefix = mapping.slice(0, -2);
    return { resource, label, rank: 1, match: (path) => (path === prefix || path === `${prefix}/` || path.startsWith(`${prefix}/`) || prefix === '' ? {} : undefined) };
  }
  if (mapping.startsWith('*.')) {
    const ext = mapping.slice(1);
    return { resource, label, rank: 0, match: (path) => (path.endsWith(ext) ? {} : undefined) };
  }
  return { resource, label, rank: 0, match: (path) => (path === mapping || path === `${mapping}/` ? {} : undefined) };
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Percent-decoding of a path variable; a malformed escape leaves it as sent. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
