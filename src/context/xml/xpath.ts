// XPath 1.0 over the message, as Synapse's SynapseXPath evaluates it: the context is the SOAP envelope (see
// message.ts), prefixes are those declared on the configuration element (xmlns:ns="..." on it or its ancestors), and
// Synapse's variables and functions are there:
//   $body, $header                    the SOAP body and header elements
//   $ctx:x  $axis2:x  $trp:X  $operation:x   a property of that scope (trp: a transport header)
//   $url:x                            a query parameter of the served request (query.param.x)
//   $func:x                           a parameter of the template being run
//   get-property('x') / get-property('scope', 'x')   scopes default, axis2, transport, operation, func
//   base64Encode(s), base64Decode(s)
// The XPath engine is the `xpath` package (XPath 1.0 on an @xmldom/xmldom DOM): both are small, maintained and
// widely used; fast-xml-parser, which reads the configuration, has no XPath.
import { createRequire } from 'node:module';
import type { MessageContext, PropertyScope } from '../message-context.js';
import { NODE, ownText, serializeNode, type Node } from './dom.js';
import { xmlMessage, type XmlMessage } from './message.js';

/** A compiled XPath expression with the namespaces of the element it was written on. */
export interface CompiledXPath {
  readonly source: string;
  /** The value as Synapse hands it to a property: a boolean or number result as is, a node set as text (undefined when empty). */
  value(ctx: MessageContext): string | number | boolean | undefined;
  /** XPath's boolean() of the result (a filter's xpath="..."): a node set is true when it is not empty. */
  test(ctx: MessageContext): boolean;
  /**
   * The nodes selected (empty for a result that is not a node set): for enrich, iterate, payloadFactory args. With
   * `message`, evaluated over that envelope (one a caller is about to change) instead of the message's own.
   */
  nodes(ctx: MessageContext, message?: XmlMessage): Node[];
}

export type Namespaces = Readonly<Record<string, string>>;

// ---- the library, typed for what is used here ------------------------------------------------------

interface XResult {
  stringValue(): string;
  numberValue(): number;
  booleanValue(): boolean;
}
interface XNodeSetResult extends XResult {
  toArray(): Node[];
}
interface EvalOptions {
  node: Node;
  namespaces: { getNamespace(prefix: string): string | null | undefined };
  variables: { getVariable(localName: string, namespace: string | null): unknown };
  functions: { getFunction(name: string, namespace: string | null): ((context: unknown, ...args: XResult[]) => unknown) | undefined };
}
interface XPathLibrary {
  parse(text: string): { evaluate(options: EvalOptions): XResult };
  XNodeSet: new () => XNodeSetResult;
  XString: new (s: string) => XResult;
  XNumber: new (n: number) => XResult;
  XBoolean: new (b: boolean) => XResult;
}

// Loaded through require: its type declarations pull the DOM library into the whole program.
let loaded: XPathLibrary | undefined;
// Loaded on first use, like the DOM library: a process that never evaluates XPath never loads it.
const xpathLibrary = (): XPathLibrary => (loaded ??= createRequire(import.meta.url)('xpath') as XPathLibrary);

// ---- Synapse variables ---------------------------------------------------------------------------

const VARIABLE_NS = 'urn:snconnect:synapse-xpath-variable:';
const PROPERTY_PREFIXES: Record<string, PropertyScope | 'url' | 'func'> = { ctx: 'default', axis2: 'axis2', trp: 'transport', operation: 'operation', url: 'url', func: 'func' };

/** Thrown for an expression that cannot be compiled; the caller names the mediator and attribute. */
export class XPathCompileError extends Error {}

/** Compiles an XPath expression once; unknown prefixes and variables are errors now rather than at run time. */
export function compileXPath(source: string, namespaces: Namespaces = {}): CompiledXPath {
  // `fn:concat(...)`: Synapse accepts XPath functions with the fn: prefix of the XPath functions namespace.
  const text = unquotedReplace(source, /(?<![\w.-])fn:(?=[A-Za-z][\w-]*\s*\()/g, '');
  checkNames(text, namespaces);
  let parsed: ReturnType<XPathLibrary['parse']>;
  try {
    parsed = xpathLibrary().parse(text);
  } catch (err) {
    throw new XPathCompileError(`not a valid XPath expression: ${err instanceof Error ? err.message : String(err)}`);
  }
  const run = (ctx: MessageContext, message?: XmlMessage): XResult => parsed.evaluate(options(ctx, namespaces, message ?? xmlMessage(ctx)));
  return {
    source,
    value(ctx) {
      const result = run(ctx);
      const kind: object = result;
      if (kind instanceof xpathLibrary().XNodeSet) return nodeSetText((result as XNodeSetResult).toArray());
      if (kind instanceof xpathLibrary().XBoolean) return result.booleanValue();
      if (kind instanceof xpathLibrary().XNumber) return result.numberValue();
      return result.stringValue();
    },
    test: (ctx) => run(ctx).booleanValue(),
    nodes(ctx, message) {
      const result = run(ctx, message);
      return result instanceof xpathLibrary().XNodeSet ? (result as XNodeSetResult).toArray() : [];
    },
  };
}

function options(ctx: MessageContext, namespaces: Namespaces, message: XmlMessage): EvalOptions {
  return {
    node: message.document,
    namespaces: {
      // '' (the element's default namespace) is left out: in XPath 1.0 an unprefixed name has no namespace.
      getNamespace: (prefix) => (prefix === '' ? null : prefix in PROPERTY_PREFIXES && !(prefix in namespaces) ? VARIABLE_NS + prefix : namespaces[prefix]),
    },
    variables: {
      getVariable(localName, namespace) {
        if (!namespace) {
          if (localName === 'body') return [message.body];
          if (localName === 'header') return message.header ? [message.header] : [];
          return '';
        }
        const prefix = namespace.startsWith(VARIABLE_NS) ? namespace.slice(VARIABLE_NS.length) : '';
        const scope = PROPERTY_PREFIXES[prefix];
        return scope ? xpathValue(lookup(ctx, scope, localName)) : '';
      },
    },
    functions: {
      getFunction(name, namespace) {
        if (namespace) return undefined;
        if (name === 'get-property') return (_c, a, b) => getProperty(ctx, a!, b);
        if (name === 'base64Encode') return (_c, a) => Buffer.from(a!.stringValue(), 'utf8').toString('base64');
        if (name === 'base64Decode') return (_c, a) => Buffer.from(a!.stringValue(), 'base64').toString('utf8');
        return undefined;
      },
    },
  };
}

function lookup(ctx: MessageContext, scope: PropertyScope | 'url' | 'func', name: string): unknown {
  if (scope === 'url') return ctx.getProperty(`query.param.${name}`);
  if (scope === 'func') return ctx.templateParams?.get(name);
  return ctx.getProperty(name, scope);
}

const SCOPES: Record<string, PropertyScope | 'func'> = { default: 'default', synapse: 'default', axis2: 'axis2', transport: 'transport', operation: 'operation', func: 'func' };

function getProperty(ctx: MessageContext, first: XResult, second: XResult | undefined): unknown {
  if (!second) return xpathValue(ctx.getProperty(first.stringValue()));
  const scope = SCOPES[first.stringValue().toLowerCase()];
  if (!scope) return '';
  return xpathValue(lookup(ctx, scope, second.stringValue()));
}

/** A property value as the XPath engine takes it: nodes as a node set, anything else as text. */
function xpathValue(value: unknown): unknown {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && typeof (value as { nodeType?: unknown }).nodeType === 'number') return [value];
  if (Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object' && typeof (v as { nodeType?: unknown }).nodeType === 'number')) return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Synapse's stringValueOf for a node set: the texts of the nodes one after the other; an element gives its own text,
 * or its XML when it has no text of its own (an element holding elements); nothing selected is undefined.
 */
export function nodeSetText(nodes: readonly Node[]): string | undefined {
  if (nodes.length === 0) return undefined;
  let out = '';
  for (const node of nodes) {
    switch (node.nodeType) {
      case NODE.element: {
        const own = ownText(node);
        out += own.trim() === '' && node.firstChild ? serializeNode(node) : own;
        break;
      }
      case NODE.document:
        out += serializeNode(node);
        break;
      default:
        out += node.nodeValue ?? '';
    }
  }
  return out;
}

/** Prefixes and variables used outside string literals must be known: declared on the element, or Synapse's own. */
function checkNames(source: string, namespaces: Namespaces): void {
  const unquoted = source.replace(/'[^']*'|"[^"]*"/g, (s) => ' '.repeat(s.length));
  for (const m of unquoted.matchAll(/\$([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?/g)) {
    const [, first, second] = m;
    if (second === undefined) {
      if (first !== 'body' && first !== 'header') throw new XPathCompileError(`unknown variable $${first} (Synapse's are $body, $header, $ctx:, $axis2:, $trp:, $url:, $func:, $operation:)`);
    } else if (!(first! in PROPERTY_PREFIXES)) throw new XPathCompileError(`unknown variable prefix $${first}: (expected $ctx:, $axis2:, $trp:, $url:, $func: or $operation:)`);
  }
  for (const m of unquoted.matchAll(/(?<![\w.$:-])([A-Za-z_][\w.-]*):(?![:=])([A-Za-z_*])/g)) {
    const prefix = m[1]!;
    const before = unquoted[m.index! - 1];
    if (before === '$') continue;
    if (!(prefix in namespaces)) throw new XPathCompileError(`the namespace prefix '${prefix}' is not declared (add xmlns:${prefix}="..." to the element)`);
  }
}

/** Replaces matches of `pattern` outside string literals. */
function unquotedReplace(text: string, pattern: RegExp, by: string): string {
  return text
    .split(/('[^']*'|"[^"]*")/)
    .map((piece, i) => (i % 2 === 1 ? piece : piece.replace(pattern, by)))
    .join('');
}
