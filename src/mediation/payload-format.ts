// payloadFactory formats: `$1`-style placeholders filled from <args>, and inline `${...}` expressions.
// In a JSON format every value is inserted as JSON, so a quote or a backslash in a value can never
// break the document:
//   inside a string ("$1", "Dear ${payload.name}")  -> the value's text, escaped for a JSON string
//   bare (: $1, : ${payload.items})                  -> the value as JSON (objects stay objects, missing -> null)
import { ConnectorError } from '../errors.js';
import { asText, escapeXmlText, evaluateNode, jsonToXmlText, parseAttributeExpression, parseXmlDocument, xmlToJson } from '../context/index.js';
import type { ExprNode, MessageContext } from '../context/index.js';

type Part = string | { arg: number; inString: boolean } | { expr: ExprNode; inString: boolean };

export interface CompiledFormat {
  mediaType: 'json' | 'text' | 'xml';
  parts: Part[];
}

const cache = new Map<string, CompiledFormat>();

export function compilePayloadFormat(format: string, mediaType: 'json' | 'text' | 'xml', argCount: number): CompiledFormat {
  const key = `${mediaType}\u0000${argCount}\u0000${format}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const parts: Part[] = [];
  let text = '';
  let inString = false;
  let i = 0;
  const flush = () => {
    if (text) parts.push(text);
    text = '';
  };
  while (i < format.length) {
    const ch = format[i];
    if (mediaType === 'json' && inString && ch === '\\') {
      text += format.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (mediaType === 'json' && ch === '"') inString = !inString;
    // In an XML format, "inString" marks a placeholder inside a tag (an attribute value), where quotes are escaped.
    if (mediaType === 'xml' && (ch === '<' || ch === '>')) inString = ch === '<';
    if (ch === '$' && /\d/.test(format[i + 1] ?? '')) {
      const m = /\d+/y;
      m.lastIndex = i + 1;
      const digits = m.exec(format)![0];
      const arg = Number(digits);
      if (arg < 1 || arg > argCount) throw formatError(`placeholder $${arg} has no matching <arg> (there are ${argCount})`);
      flush();
      parts.push({ arg: arg - 1, inString });
      i = m.lastIndex;
      continue;
    }
    if (ch === '$' && format[i + 1] === '{') {
      const end = closingBrace(format, i + 2);
      if (end < 0) throw formatError(`"\${" at character ${i + 1} is not closed`);
      let expr: ExprNode;
      try {
        expr = parseAttributeExpression(format.slice(i, end + 1));
      } catch (err) {
        throw formatError(err instanceof Error ? err.message : String(err));
      }
      flush();
      parts.push({ expr, inString });
      i = end + 1;
      continue;
    }
    text += ch;
    i++;
  }
  flush();
  const compiled: CompiledFormat = { mediaType, parts };
  if (mediaType === 'json') {
    // Check the shape now with neutral values, so a broken format is reported before the flow runs.
    const probe = parts.map((p) => (typeof p === 'string' ? p : p.inString ? '' : 'null')).join('');
    try {
      JSON.parse(probe);
    } catch (err) {
      throw formatError(`the format is not valid JSON (${(err as Error).message})`);
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/**
 * Fills the format; `args` are the evaluated <arg> values in order. Returns parsed JSON or text. In an XML format a
 * value that is itself well-formed XML (an element an XPath arg selected, an XML property) is inserted as XML, as MI
 * does, unless its arg says literal="true"; any other value is escaped text.
 */
export function renderPayload(compiled: CompiledFormat, args: unknown[], ctx: MessageContext, info: readonly ArgInfo[] = []): unknown {
  let out = '';
  for (const part of compiled.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = 'arg' in part ? args[part.arg] : evaluateNode(part.expr, ctx);
    const arg = 'arg' in part ? info[part.arg] : undefined;
    if (compiled.mediaType === 'text') out += asText(value);
    // XML: values are text content, escaped so that a '<' in a record can never change the document.
    else if (compiled.mediaType === 'xml') {
      const text = asText(value);
      if (part.inString) out += escapeXmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
      // A JSON object or array (a JSONPath arg) becomes XML through MI's mapping, without the <jsonObject> root.
      else if (value !== null && typeof value === 'object' && !arg?.literal) out += jsonToXmlText(value).replace(/^<json(?:Object|Array)>|<\/json(?:Object|Array)>$/g, '');
      else out += !arg?.literal && isXmlFragment(text) ? text : escapeXmlText(text);
    } else if (arg?.xpath && !arg.literal && typeof value === 'string' && !part.inString) {
      // XPath gives text: as in MI, a bare number, boolean or null stays one, XML becomes JSON, other text a string.
      out += bareXPathValue(value);
    }
    else if (part.inString) out += JSON.stringify(asText(value)).slice(1, -1);
    else out += value === undefined ? 'null' : JSON.stringify(value);
  }
  if (compiled.mediaType !== 'json') return out;
  try {
    return JSON.parse(out);
  } catch (err) {
    throw formatError(`the filled format is not valid JSON (${(err as Error).message})`);
  }
}

/** What a payloadFactory needs to know about an <arg>. */
export interface ArgInfo {
  literal: boolean;
  xpath?: boolean;
}

const JSON_LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

function bareXPathValue(text: string): string {
  const t = text.trim();
  if (JSON_LITERAL.test(t)) return t;
  if (isXmlFragment(t)) {
    const doc = parseXmlDocument(`<jsonObject>${t}</jsonObject>`);
    return JSON.stringify(xmlToJson(doc.documentElement!));
  }
  return JSON.stringify(text);
}

/** A value that is XML elements (well-formed when wrapped in one root), to be inserted as they are. */
function isXmlFragment(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('<') || !t.endsWith('>')) return false;
  try {
    parseXmlDocument(`<r>${t}</r>`);
    return true;
  } catch {
    return false;
  }
}

function closingBrace(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'") quote = ch;
    else if (ch === '}') return i;
  }
  return -1;
}

function formatError(message: string): ConnectorError {
  return new ConnectorError({ code: 'SEQUENCE_ERROR', message: `payloadFactory: ${message}` });
}
