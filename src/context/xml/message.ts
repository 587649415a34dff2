// The XML view of a message, as Synapse has it: a SOAP envelope whose body holds the payload. An XML payload is kept
// as its text in MessageContext.payload (so answering, forwarding, logging and copying a message need no DOM), and
// parsed once, on first use, into the envelope XPath is evaluated over; the parse is kept until the payload changes.
//   - a SOAP 1.1/1.2 envelope (a SOAP request or a SOAP back end's answer) is the envelope itself;
//   - any other XML payload is wrapped in a SOAP 1.1 envelope's body, as Synapse does for POX messages;
//   - a JSON payload is MI's XML form of it (<jsonObject>, see json-xml.ts) in the body, built per evaluation;
//   - a text payload is <ns:text xmlns:ns="http://ws.apache.org/commons/ns/payload">, MI's text wrapper.
// So `$body/order/id`, `//id` and `/soapenv:Envelope/soapenv:Body/order/id` mean what they mean in MI.
import type { MessageContext } from '../message-context.js';
import { NODE, XmlPayloadError, childElements, escapeXmlText, firstChildElement, parseXmlDocument, serializeNode, type Document, type Element } from './dom.js';
import { jsonToXmlText, localName, xmlToJson } from './json-xml.js';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const TEXT_PAYLOAD_NS = 'http://ws.apache.org/commons/ns/payload';

export type SoapVersion = '1.1' | '1.2';

export interface XmlMessage {
  readonly document: Document;
  readonly envelope: Element;
  readonly body: Element;
  readonly header: Element | undefined;
  /** The payload itself is a SOAP envelope of this version; undefined when the envelope only wraps it. */
  readonly soap: SoapVersion | undefined;
}

export type PayloadKind = 'xml' | 'json' | 'text' | 'none';

/** XML media types: application/xml, text/xml, application/soap+xml, anything +xml. */
export function isXmlType(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');
}

export function isJsonType(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

/** What the payload is: XML text, a JSON value, other text, or nothing. */
export function payloadKind(ctx: MessageContext): PayloadKind {
  const p = ctx.payload;
  if (p === undefined) return 'none';
  if (typeof p !== 'string') return 'json';
  if (isXmlType(ctx.contentType)) return 'xml';
  return isJsonType(ctx.contentType) ? 'json' : 'text';
}

interface Cached {
  payload: string;
  contentType: string;
  message: XmlMessage;
  json?: unknown;
}

// The parse is kept on the context itself, in a symbol-keyed slot, not in a WeakMap keyed by the context: a WeakMap
// entry is an ephemeron, which V8 must trace specially, and every served message added one holding its whole DOM.
// Measured on the XML proxy bench (bench/xml-proxy.ts, --cpu-prof of the serve process): garbage collection fell
// from 17% to 9% of its busy time and its CPU per request by about a quarter.
const CACHED = Symbol('snconnect.xmlMessage');
type WithCache = MessageContext & { [CACHED]?: Cached };
const cache = {
  get: (ctx: MessageContext): Cached | undefined => (ctx as WithCache)[CACHED],
  set: (ctx: MessageContext, entry: Cached): void => {
    (ctx as WithCache)[CACHED] = entry;
  },
};

/** The envelope of the message for XPath: parsed once per XML payload text; throws XmlPayloadError for bad XML. */
export function xmlMessage(ctx: MessageContext): XmlMessage {
  const kind = payloadKind(ctx);
  if (kind === 'xml') {
    const text = ctx.payload as string;
    const hit = cache.get(ctx);
    if (hit && hit.payload === text && hit.contentType === ctx.contentType) return hit.message;
    const message = messageFromXml(text, isSoapType(ctx.contentType));
    cache.set(ctx, { payload: text, contentType: ctx.contentType, message });
    return message;
  }
  // JSON values can be changed in place by other mediators, so their XML form is not kept.
  if (kind === 'json') return wrap(jsonToXmlText(ctx.payload));
  if (kind === 'text') return wrap(`<ns:text xmlns:ns="${TEXT_PAYLOAD_NS}">${escapeXmlText(ctx.payload as string)}</ns:text>`);
  return wrap('');
}

/**
 * SOAP content types: text/xml and application/soap+xml. As with MI's builders, an envelope that arrives as
 * application/xml is a plain XML payload whose root happens to be named Envelope.
 */
export function isSoapType(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'text/xml' || type === 'application/soap+xml';
}

/** Parses XML text into the message it is (a SOAP envelope, when `soap` allows one) or the envelope wrapping it. */
export function messageFromXml(text: string, soapAllowed = true): XmlMessage {
  // One parse: a document whose root is not named Envelope is parsed already wrapped (its XML declaration removed).
  const start = /^\s*(?:<\?xml\s[^?]*\?>)?/.exec(text)![0].length;
  if (!soapAllowed || !/^(?:\s|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*<(?:[\w.-]+:)?Envelope[\s/>]/.test(text.slice(start))) return wrapDocument(text, start);
  const doc = parseXmlDocument(text);
  const root = doc.documentElement!;
  const soap = soapVersionOf(root);
  if (soap) {
    const parts = childElements(root);
    const body = parts.find((p) => localName(p) === 'Body' && p.namespaceURI === root.namespaceURI);
    if (body) return { document: doc, envelope: root, body, header: parts.find((p) => localName(p) === 'Header' && p.namespaceURI === root.namespaceURI), soap };
  }
  return wrap(serializeNode(root));
}

/**
 * A POX document wrapped in a SOAP 1.1 envelope: the document is parsed as it is and its nodes moved into an
 * envelope built around them, the tree `wrap(text without its declaration, true)` gives, without copying the text
 * into an envelope and parsing the two elements and their namespace declaration each time (xmldom's namespace
 * handling made that a tenth of an XML answer's parse in the XML proxy bench). A document that does not parse alone
 * goes the way of wrap, so that what is accepted and what each refusal says stay as they were.
 */
function wrapDocument(text: string, start: number): XmlMessage {
  let doc: Document;
  try {
    doc = parseXmlDocument(text);
  } catch {
    return wrap(text.slice(start), true);
  }
  const envelope = doc.createElementNS(SOAP11_NS, 'soapenv:Envelope');
  envelope.setAttributeNS(XMLNS_NS, 'xmlns:soapenv', SOAP11_NS);
  const body = doc.createElementNS(SOAP11_NS, 'soapenv:Body');
  envelope.appendChild(body);
  // What wrap leaves out: the XML declaration, else the white space before the first node (text.slice(start)).
  let c = doc.firstChild;
  if (c && c.nodeType === NODE.processingInstruction && (c as unknown as { target: string }).target === 'xml') c = c.nextSibling;
  else while (c && c.nodeType === NODE.text && /^\s*$/.test((c as unknown as { data: string }).data)) c = c.nextSibling;
  while (c) {
    const next = c.nextSibling;
    doc.removeChild(c);
    body.appendChild(c);
    c = next;
  }
  // The parser drops white space after the last node; inside the body it was text.
  // (Found by a loop from the end: /\s*$/ would rescan every run of white space, quadratic on a hostile body.)
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  if (end < text.length) body.appendChild(doc.createTextNode(text.slice(end)));
  for (let rest = doc.firstChild; rest; rest = doc.firstChild) doc.removeChild(rest);
  doc.appendChild(envelope);
  return { document: doc, envelope, body, header: undefined, soap: undefined };
}

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** A SOAP 1.1 envelope holding `inner` (already well-formed XML text, or nothing). */
function wrap(inner: string, oneRoot = false): XmlMessage {
  const doc = parseXmlDocument(`<soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`);
  const envelope = doc.documentElement!;
  const body = firstChildElement(envelope)!;
  if (oneRoot) {
    let roots = 0;
    for (let c = body.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === NODE.element) roots++;
      else if ((c.nodeType === NODE.text || c.nodeType === NODE.cdata) && (c as unknown as { data: string }).data.trim() !== '') roots = 2;
    }
    if (roots !== 1) throw new XmlPayloadError(`the XML payload is not well-formed: ${roots === 0 ? 'it has no root element' : 'it must have exactly one root element and no text outside it'}`);
  }
  return { document: doc, envelope, body, header: undefined, soap: undefined };
}

export function soapVersionOf(root: Element): SoapVersion | undefined {
  if (localName(root) !== 'Envelope') return undefined;
  if (root.namespaceURI === SOAP11_NS) return '1.1';
  if (root.namespaceURI === SOAP12_NS) return '1.2';
  return undefined;
}

/** The payload element (the body's first child), when the message has one. */
export function payloadElement(ctx: MessageContext): Element | undefined {
  return firstChildElement(xmlMessage(ctx).body);
}

/**
 * The payload as JSON for json-eval() / ${payload...} on an XML message, converted as MI does (the body's first
 * child through the JSON <-> XML mapping); kept while the payload text stays the same.
 */
export function xmlPayloadAsJson(ctx: MessageContext): unknown {
  const message = xmlMessage(ctx);
  const hit = cache.get(ctx);
  if (hit && hit.message === message && 'json' in hit) return hit.json;
  const root = firstChildElement(message.body);
  const json = root ? xmlToJson(root) : undefined;
  if (hit && hit.message === message) hit.json = json;
  return json;
}

/** Makes XML text the payload (checked now, so a bad document fails where it is made), with an XML content type. */
export function setXmlPayload(ctx: MessageContext, text: string, contentType?: string): XmlMessage {
  const message = messageFromXml(text, contentType === undefined || isSoapType(contentType));
  ctx.payload = text;
  ctx.contentType = contentType ?? (message.soap === '1.2' ? 'application/soap+xml' : message.soap === '1.1' ? 'text/xml' : isXmlType(ctx.contentType) ? ctx.contentType : 'application/xml');
  cache.set(ctx, { payload: text, contentType: ctx.contentType, message });
  return message;
}

/** After the envelope's DOM was changed in place (enrich): the payload text follows it. */
export function commitXmlMessage(ctx: MessageContext, message: XmlMessage): void {
  let text: string;
  if (message.soap) text = serializeNode(message.document);
  else {
    const root = firstChildElement(message.body);
    text = root ? serializeNode(root) : '';
  }
  ctx.payload = text;
  if (!isXmlType(ctx.contentType)) ctx.contentType = 'application/xml';
  cache.set(ctx, { payload: text, contentType: ctx.contentType, message });
}

/** True when the node is an element (for callers that hold xmldom nodes). */
export function isElementNode(node: unknown): node is Element {
  return node !== null && typeof node === 'object' && (node as { nodeType?: unknown }).nodeType === NODE.element;
}

/** A SOAP envelope of `version` whose body holds `inner` (XML text, its declaration left out) and, if given, that header. */
export function envelopeText(version: SoapVersion, inner: string, header?: Element): string {
  const ns = version === '1.2' ? SOAP12_NS : SOAP11_NS;
  const body = inner.replace(/^\s*<\?xml\s[^?]*\?>/, '');
  return `<soapenv:Envelope xmlns:soapenv="${ns}">${header ? headerText(header, ns) : ''}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

/** The header's blocks under a Header element of the target envelope (its children keep their own namespaces). */
function headerText(header: Element, ns: string): string {
  let inner = '';
  for (let c = header.firstChild; c; c = c.nextSibling) inner += serializeNode(c);
  return inner.trim() === '' ? '' : `<soapenv:Header xmlns:soapenv="${ns}">${inner}</soapenv:Header>`;
}

/** The XML text of what the body holds (for a message re-wrapped in an envelope of another version). */
export function bodyContentText(message: XmlMessage): string {
  let inner = '';
  for (let c = message.body.firstChild; c; c = c.nextSibling) inner += serializeNode(c);
  return inner;
}

export function contentTypeOfSoap(version: SoapVersion): string {
  return version === '1.2' ? 'application/soap+xml' : 'text/xml';
}
