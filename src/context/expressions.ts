// Parameter values and expression attributes of a sequence, compiled once per distinct text and cached,
// because evaluateValue sits on the path of every invocation.
//
// Value form (the text of a connector parameter such as <sysId>{json-eval($.result.sys_id)}</sysId>):
//   literal text                     returned unchanged (also JSON text such as {"a": 1})
//   {$ctx:x} {$trp:H} {$axis2:x}     a property / transport header
//   {get-property('x')}              also get-property('transport', 'H')
//   {json-eval($.a.b[0])}            JSONPath on the payload
//   ${payload.a} / {${payload.a}}    a Synapse expression, its value as is (objects stay objects)
//   text ${vars.x} text              interpolation: the text with each ${...} replaced by its text form
// Attribute form (property expression=, filter source=/xpath=, foreach expression=): the same
// expressions without the surrounding braces: `json-eval($.a)`, `$ctx:x`, `get-property('x') = 'y'`, `${payload.a}`.
import { ConnectorError } from '../errors.js';
import { redactText } from '../logger.js';
import type { CompiledValue, ExprNode } from './expression-ast.js';
import { asText, conditionHolds, evaluateNode, truthy } from './expression-eval.js';
import { parseExpressionText } from './expression-parser.js';
import { ExpressionSyntaxError, readQuoted } from './json-path.js';
import type { MessageContext } from './message-context.js';
import { compileXPath, XPathCompileError, type Namespaces } from './xml/xpath.js';

const LEGACY = /^\{\s*(?:\$(?:ctx|trp|axis2|operation|func):|get-property\s*\(|json-eval\s*\()/;
const CACHE_LIMIT = 5000;
const valueCache = new Map<string, CompiledValue>();
const attributeCache = new Map<string, ExprNode>();
const xpathCache = new Map<string, ExprNode>();

/** Resolves a parameter value: a literal comes back unchanged, an expression is evaluated against ctx. */
export function evaluateValue(raw: string, ctx: MessageContext): unknown {
  if (typeof raw !== 'string' || raw.indexOf('{') === -1) return raw;
  const compiled = parseExpression(raw);
  switch (compiled.kind) {
    case 'literal':
      return compiled.value;
    case 'expression':
      return evaluateNode(compiled.node, ctx);
    case 'template': {
      let out = '';
      for (const part of compiled.parts) out += typeof part === 'string' ? part : asText(evaluateNode(part, ctx));
      return out;
    }
  }
}

/** Compiles a parameter value (for checking a sequence before it runs). Throws INVALID_PARAMETER when malformed. */
export function parseExpression(raw: string, parameter?: string): CompiledValue {
  const cached = valueCache.get(raw);
  if (cached) return cached;
  const compiled = withErrorContext(raw, parameter, () => compileValue(raw));
  remember(valueCache, raw, compiled);
  return compiled;
}

/** True when the value text holds an expression rather than a plain literal. */
export function isExpression(raw: string): boolean {
  return raw.indexOf('{') !== -1 && parseExpression(raw).kind !== 'literal';
}

/**
 * Compiles an expression attribute (`json-eval($.a)`, `$ctx:x`, `${payload.a}`, `get-property('x') = 'y'`), or, when
 * the text is not one of those, an XPath 1.0 expression (`//ns:id`, `$body/order`, `count(//item) > 1`) with the
 * namespace prefixes of the element it was written on. Expressions both languages read (`$ctx:x`, `get-property()`,
 * `concat()`) keep the first reading, so flows written for JSON payloads behave as before.
 */
export function parseAttributeExpression(text: string, parameter?: string, namespaces?: Namespaces): ExprNode {
  const cached = attributeCache.get(text);
  if (cached) return cached;
  const nsKey = `${text}\u0000${namespaceKey(namespaces)}`;
  const xpath = xpathCache.get(nsKey);
  if (xpath) return xpath;
  let node: ExprNode;
  try {
    node = withErrorContext(text, parameter, () => {
      const trimmed = text.trim();
      if (trimmed === '') throw new ExpressionSyntaxError('the expression is empty', 0);
      if (trimmed.startsWith('${')) {
        const end = closingBrace(trimmed, 2);
        if (end === trimmed.length - 1) return parseExpressionText(trimmed.slice(2, end));
      }
      return parseExpressionText(trimmed);
    });
  } catch (err) {
    if (text.trim().startsWith('${') || text.trim() === '') throw err;
    const compiled = asXPath(text, parameter, namespaces ?? {});
    if (!compiled) throw err;
    remember(xpathCache, nsKey, compiled);
    return compiled;
  }
  remember(attributeCache, text, node);
  return node;
}

/** The text as XPath, or undefined when it is not XPath either (the first error is then the one reported). */
function asXPath(text: string, parameter: string | undefined, namespaces: Namespaces): ExprNode | undefined {
  try {
    return { kind: 'xpath', xpath: compileXPath(text.trim(), namespaces) };
  } catch (err) {
    if (!(err instanceof XPathCompileError)) throw err;
    // An expression that reads as XPath but names an undeclared prefix or variable: that is the useful message.
    if (/not declared|unknown variable/.test(err.message)) {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `Invalid XPath ${JSON.stringify(redactText(text))}${parameter ? ` in parameter '${parameter}'` : ''}: ${err.message}`, parameter });
    }
    return undefined;
  }
}

function namespaceKey(namespaces: Namespaces | undefined): string {
  if (!namespaces) return '';
  return Object.keys(namespaces)
    .sort()
    .map((k) => `${k}=${namespaces[k]}`)
    .join('\u0001');
}

/** Evaluates an expression attribute to its value. */
export function evaluateExpression(text: string, ctx: MessageContext): unknown {
  return evaluateNode(parseAttributeExpression(text), ctx);
}

/** Evaluates a filter condition (`xpath=`) to true or false; see truthy() for how values count. */
export function evaluateCondition(text: string, ctx: MessageContext): boolean {
  return conditionHolds(parseAttributeExpression(text), ctx);
}

export { truthy, asText };

function compileValue(raw: string): CompiledValue {
  if (raw.indexOf('{') === -1) return { kind: 'literal', value: raw };
  const trimmed = raw.trim();
  if (trimmed.endsWith('}') && LEGACY.test(trimmed)) {
    return { kind: 'expression', node: parseAt(trimmed.slice(1, -1), raw.indexOf('{') + 1), source: raw };
  }
  // {${...}}: how WSO2 MI 4.4 writes a Synapse expression in a connector parameter.
  if (trimmed.startsWith('{${') && trimmed.endsWith('}}') && closingBrace(trimmed, 3) === trimmed.length - 2) {
    return { kind: 'expression', node: parseAt(trimmed.slice(3, -2), raw.indexOf('{') + 3), source: raw };
  }
  if (raw.indexOf('${') === -1) return { kind: 'literal', value: raw };
  const parts = templateParts(raw);
  if (parts.length === 1 && typeof parts[0] !== 'string') return { kind: 'expression', node: parts[0], source: raw };
  if (parts.every((p) => typeof p === 'string')) return { kind: 'literal', value: parts.join('') };
  return { kind: 'template', parts, source: raw };
}

/** Splits text into literal pieces and ${...} expressions; `\${` keeps a literal "${". */
function templateParts(raw: string): (string | ExprNode)[] {
  const parts: (string | ExprNode)[] = [];
  let text = '';
  let i = 0;
  while (i < raw.length) {
    if (raw.startsWith('\\${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (raw.startsWith('${', i)) {
      const end = closingBrace(raw, i + 2);
      if (end < 0) throw new ExpressionSyntaxError('"${" is not closed by "}"', i);
      if (text) parts.push(text);
      text = '';
      parts.push(parseAt(raw.slice(i + 2, end), i + 2));
      i = end + 1;
      continue;
    }
    text += raw[i];
    i++;
  }
  if (text) parts.push(text);
  return parts;
}

/** Parses an expression found at `offset` in a longer text, so that error positions point into that text. */
function parseAt(text: string, offset: number): ExprNode {
  try {
    return parseExpressionText(text);
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) throw new ExpressionSyntaxError(err.message, offset + err.position);
    throw err;
  }
}

/** Index of the `}` that closes an expression starting at `from`, skipping quoted strings; -1 if none. */
function closingBrace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      try {
        i = readQuoted(text, i).end;
      } catch {
        return -1;
      }
      continue;
    }
    if (ch === '}') return i;
    i++;
  }
  return -1;
}

function withErrorContext<T>(text: string, parameter: string | undefined, compile: () => T): T {
  try {
    return compile();
  } catch (err) {
    if (!(err instanceof ExpressionSyntaxError)) throw err;
    const shown = redactText(text);
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      message: `Invalid expression ${JSON.stringify(shown)}${parameter ? ` in parameter '${parameter}'` : ''}: ${err.message} (at character ${err.position + 1})`,
      parameter,
    });
  }
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  // A flow has a bounded set of expression texts; the limit only guards against generated ones.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}
