// XML text <-> DOM for message payloads (request bodies, endpoint answers, payloadFactory output), with the limits
// hostile input must meet: no DOCTYPE (so no entity definitions, internal or external, and no entity expansion),
// nesting no deeper than MAX_XML_DEPTH, well-formed or refused. The DOM is @xmldom/xmldom's, which the `xpath`
// library evaluates XPath 1.0 over.
import { createRequire } from 'node:module';
import type { Document, Element, Node } from '@xmldom/xmldom';
import { MAX_XML_DEPTH, lineOfDepth } from '../../xml-limits.js';

export type { Document, Element, Node };

/** A payload that is not acceptable XML: what was wrong, for a 400 answer or a fault naming the mediator. */
export class XmlPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlPayloadError';
  }
}

type XmlDomLibrary = typeof import('@xmldom/xmldom');
let library: XmlDomLibrary | undefined;
let serializer: InstanceType<XmlDomLibrary['XMLSerializer']> | undefined;
// Loaded on first use: most flows and every plain connector call never see XML, and loading it at start made every
// process (each CLI command) pay for it.
const xmldom = (): XmlDomLibrary => (library ??= createRequire(import.meta.url)('@xmldom/xmldom') as XmlDomLibrary);

export const NODE = { element: 1, attribute: 2, text: 3, cdata: 4, processingInstruction: 7, comment: 8, document: 9 } as const;

/** Parses an XML document; throws XmlPayloadError (malformed, a DOCTYPE, too deep). `what` names the input in the message. */
export function parseXmlDocument(text: string, what = 'the XML payload'): Document {
  // Checked on the text before parsing: a DOCTYPE is refused outright (entity definitions are the classic
  // amplification and external-resource attacks; no payload of an integration flow needs one).
  if (/<!DOCTYPE/i.test(text)) throw new XmlPayloadError(`${what} has a DOCTYPE, which is refused (entities and DTDs are not accepted)`);
  const deep = lineOfDepth(text, MAX_XML_DEPTH + 1);
  if (deep !== undefined) throw new XmlPayloadError(`${what} nests elements deeper than ${MAX_XML_DEPTH} levels (line ${deep})`);
  let doc: Document;
  try {
    doc = new (xmldom().DOMParser)({
      onError: (level, message) => {
        if (level !== 'warning') throw new XmlPayloadError(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^Reporting \w+ "?|"? caused .*$/gs, '') : String(err);
    throw new XmlPayloadError(`${what} is not well-formed XML: ${reason}`);
  }
  if (!doc.documentElement) throw new XmlPayloadError(`${what} has no root element`);
  return doc;
}

/** The XML text of a node (an element with its namespace declarations as needed, a text node's escaped text ...). */
export function serializeNode(node: Node): string {
  serializer ??= new (xmldom().XMLSerializer)();
  return serializer.serializeToString(node);
}

/** Child elements of `el`, in order. */
export function childElements(el: Node): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === NODE.element) out.push(c as Element);
  return out;
}

/** The first child element, if any. */
export function firstChildElement(el: Node): Element | undefined {
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === NODE.element) return c as Element;
  return undefined;
}

/** Text of the direct text and CDATA children (Axiom's getText(): not the descendants'). */
export function ownText(el: Node): string {
  let text = '';
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === NODE.text || c.nodeType === NODE.cdata) text += (c as unknown as { data: string }).data;
  return text;
}

export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;');
}
