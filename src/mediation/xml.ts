// Reads a sequence file into a plain element tree with line numbers.
// fast-xml-parser (with preserveOrder, because mediator order matters) reports no positions, so the raw
// text is scanned for element starts in document order and paired with the parsed elements, which come
// out of a pre-order walk in the same order.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ConnectorError } from '../errors.js';
import { XML_PARSER_LIMITS, describeXmlFailure } from '../xml-limits.js';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text and CDATA directly inside the element (not trimmed). */
  text: string;
  line: number;
  /**
   * Namespace prefixes in scope on the element (declared on it or an ancestor; '' is the default namespace): XPath
   * expressions written on it use them, as Synapse does.
   */
  namespaces: Readonly<Record<string, string>>;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  commentPropName: '#comment',
  ...XML_PARSER_LIMITS,
});

/** Parses XML text; a malformed or refused document (entity limits, nesting) fails with SEQUENCE_ERROR naming the file and line. */
export function parseXml(text: string, file: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ConnectorError({
      code: 'SEQUENCE_ERROR',
      message: `${file}:${valid.err.line}: malformed XML: ${valid.err.msg}`,
    });
  }
  const lines = elementStartLines(text);
  let next = 0;
  const convert = (node: OrderedNode, inScope: Readonly<Record<string, string>>): XmlElement | undefined => {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name === '#text' || name === '#comment' || name.startsWith('?')) return undefined;
    const attributes = { ...(node[':@'] ?? {}) };
    const element: XmlElement = { name, attributes, children: [], text: '', line: lines[next++] ?? 0, namespaces: declaredNamespaces(attributes, inScope) };
    for (const child of node[name] as OrderedNode[]) {
      if ('#text' in child) element.text += String(child['#text']);
      else {
        const converted = convert(child, element.namespaces);
        if (converted) element.children.push(converted);
      }
    }
    return element;
  };
  let tree: OrderedNode[];
  try {
    tree = parser.parse(text) as OrderedNode[];
  } catch (err) {
    // Entity limits, nesting depth: refused documents, reported like malformed ones.
    const refusal = describeXmlFailure(text, err);
    throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${file}:${refusal.line}: ${refusal.message}`, cause: err });
  }
  const roots = tree.map((node) => convert(node, NO_NAMESPACES)).filter((e): e is XmlElement => e !== undefined);
  if (roots.length !== 1) {
    throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${file}:1: expected exactly one root element, found ${roots.length}` });
  }
  return roots[0];
}

const NO_NAMESPACES: Readonly<Record<string, string>> = Object.freeze({});

/** The prefixes in scope on an element: its parent's, plus (shared unless it declares some) its own xmlns attributes. */
function declaredNamespaces(attributes: Record<string, string>, inScope: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let own: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'xmlns') (own ??= { ...inScope })[''] = value;
    else if (name.startsWith('xmlns:')) (own ??= { ...inScope })[name.slice(6)] = value;
  }
  return own ?? inScope;
}

/** Line of every element start tag, in document order, skipping comments, CDATA, declarations and PIs. */
function elementStartLines(text: string): number[] {
  const out: number[] = [];
  let line = 1;
  let i = 0;
  const advanceTo = (end: number) => {
    for (; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    advanceTo(lt);
    const skipUntil = (marker: string) => {
      const end = text.indexOf(marker, i);
      advanceTo(end < 0 ? text.length : end + marker.length);
    };
    if (text.startsWith('<!--', i)) skipUntil('-->');
    else if (text.startsWith('<![CDATA[', i)) skipUntil(']]>');
    else if (text.startsWith('<?', i)) skipUntil('?>');
    else if (text.startsWith('<!', i) || text.startsWith('</', i)) skipUntil('>');
    else {
      out.push(line);
      i++;
    }
  }
  return out;
}

/** Writes an element back as XML text (attributes and text escaped), e.g. an XML payloadFactory format. */
export function serializeXml(el: XmlElement): string {
  const attrs = Object.entries(el.attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(v).replace(/"/g, '&quot;')}"`)
    .join('');
  const inner = el.children.length > 0 ? el.children.map(serializeXml).join('') : escapeXml(el.text.trim());
  return inner === '' ? `<${el.name}${attrs}/>` : `<${el.name}${attrs}>${inner}</${el.name}>`;
}

/** The local part of a qualified name: `soapenv:Body` -> `Body`; a name without a prefix stays as it is. */
export function localPart(qname: string): string {
  return qname.slice(qname.indexOf(':') + 1);
}

/** The prefix of a qualified name: `soapenv:Body` -> `soapenv`; '' when it has none. */
export function prefixPart(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? '' : qname.slice(0, colon);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
