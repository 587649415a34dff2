// Handlebars bodies: one private environment with HTML escaping off and explicit, generic helpers that
// emit JSON, so a quote or brace in a value can never change the document's structure.
import { createRequire } from 'node:module';
import { descriptorError } from './descriptor-error.js';

type HandlebarsEnv = ReturnType<typeof import('handlebars').create>;

const helpers: Record<string, (...args: unknown[]) => unknown> = {
  /** The value as JSON text (undefined becomes null). */
  json: (value: unknown) => JSON.stringify(value === undefined ? null : value),
  /** The value base64-encoded: text as UTF-8, anything else as its JSON (the Batch API's request bodies). */
  base64: (value: unknown) => (value === undefined || value === null ? '' : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64')),
  /** The value percent-encoded for a URL component. */
  url: (value: unknown) => (value === undefined || value === null ? '' : encodeURIComponent(String(value))),
  /** An object from the hash arguments, leaving out unset (undefined, null, '') values. */
  object: (...args: unknown[]) => {
    const options = args[args.length - 1] as { hash?: Record<string, unknown> };
    // No prototype: a "__proto__" key from user JSON stays a plain member instead of changing the object.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of Object.entries(options.hash ?? {})) {
      if (value !== undefined && value !== null && value !== '') out[key] = value;
    }
    return out;
  },
  /** Shallow merge of the object arguments, later ones winning; anything not a plain object is skipped. */
  merge: (...args: unknown[]) => {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const value of args.slice(0, -1)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, value);
    }
    return out;
  },
};

// Handlebars is required on the first template compiled, not imported: a cold start that only reads (no body
// template) never loads it.
const require = createRequire(import.meta.url);
let shared: HandlebarsEnv | undefined;
function env(): HandlebarsEnv {
  if (!shared) {
    shared = (require('handlebars') as typeof import('handlebars')).create();
    for (const [name, fn] of Object.entries(helpers)) shared.registerHelper(name, fn);
  }
  return shared;
}

const KNOWN_HELPERS: Record<string, boolean> = Object.fromEntries(Object.keys(helpers).map((name) => [name, true]));
const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);
/** Block helpers whose body is evaluated against another context: names inside are not parameters. */
const CONTEXT_CHANGING = new Set(['each', 'with']);

export type RenderTemplate = (values: Readonly<Record<string, unknown>>) => string;

export interface CompiledTemplate {
  render: RenderTemplate;
  /** Top-level names the template reads, to check against the declared parameters. */
  variables: Set<string>;
}

export function compileTemplate(source: string, file: string): CompiledTemplate {
  let ast: unknown;
  try {
    ast = env().parse(source);
  } catch (err) {
    throw descriptorError(file, lineOfParseError(err), `not a valid Handlebars template: ${firstLine(err)}`, err);
  }
  const variables = new Set<string>();
  collectVariables(ast, variables, file);
  let render: RenderTemplate;
  try {
    const template = compileRender(source);
    // Handlebars compiles lazily; render once now so a broken template fails at load, not on the first call.
    template({});
    render = template;
  } catch (err) {
    throw descriptorError(file, undefined, `cannot compile template: ${firstLine(err)}`, err);
  }
  return { render, variables };
}

/**
 * A template already checked by compileTemplate when a catalogue snapshot was written (same text, hash-checked):
 * compiled on its first render, so loading the catalogue does no Handlebars work.
 */
export function precompiledTemplate(source: string, variables: readonly string[]): CompiledTemplate {
  let template: RenderTemplate | undefined;
  return {
    render: (values) => (template ??= compileRender(source))(values),
    variables: new Set(variables),
  };
}

function compileRender(source: string): RenderTemplate {
  return env().compile(source, { noEscape: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false }) as RenderTemplate;
}

type AstNode = { type?: string; [key: string]: unknown };

function collectVariables(node: unknown, out: Set<string>, file: string): void {
  if (!node || typeof node !== 'object') return;
  const n = node as AstNode;
  switch (n.type) {
    case 'Program':
      for (const child of n['body'] as unknown[]) collectVariables(child, out, file);
      return;
    case 'MustacheStatement':
    case 'SubExpression':
    case 'BlockStatement': {
      const path = n['path'] as AstNode;
      const params = (n['params'] as unknown[]) ?? [];
      const hash = n['hash'] as { pairs: Array<{ value: unknown }> } | undefined;
      const head = pathHead(path);
      const isCall = params.length > 0 || (hash?.pairs.length ?? 0) > 0 || n.type !== 'MustacheStatement';
      if (isCall) {
        if (head && !KNOWN_HELPERS[head] && !BUILTIN_HELPERS.has(head)) {
          throw descriptorError(file, locLine(n), `unknown helper '${head}' (available: ${[...Object.keys(KNOWN_HELPERS), ...BUILTIN_HELPERS].join(', ')})`);
        }
      } else {
        collectVariables(path, out, file);
      }
      for (const p of params) collectVariables(p, out, file);
      for (const pair of hash?.pairs ?? []) collectVariables(pair.value, out, file);
      if (n.type === 'BlockStatement') {
        if (!head || !CONTEXT_CHANGING.has(head)) collectVariables(n['program'], out, file);
        collectVariables(n['inverse'], out, file);
      }
      return;
    }
    case 'PathExpression': {
      if (n['data'] || (n['depth'] as number) > 0) return;
      const head = pathHead(n);
      if (head && head !== 'this') out.add(head);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
    case 'DecoratorBlock':
    case 'Decorator':
      throw descriptorError(file, locLine(n), 'partials and decorators are not supported in body templates');
    default:
      return;
  }
}

function pathHead(path: AstNode | undefined): string | undefined {
  if (!path || path.type !== 'PathExpression') return undefined;
  const parts = path['parts'] as string[];
  return parts[0];
}

function locLine(node: AstNode): number | undefined {
  const loc = node['loc'] as { start?: { line?: number } } | undefined;
  return loc?.start?.line;
}

function lineOfParseError(err: unknown): number | undefined {
  const match = /line (\d+)/.exec(err instanceof Error ? err.message : '');
  return match ? Number(match[1]) : undefined;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
