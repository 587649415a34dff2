// <enrich> on XML, as Synapse does it: a source that is XML (nodes an XPath selects, the XML payload, an XML property
// or inline XML) and a target that is XML (an XPath into the payload, or the body of an XML message). The envelope's
// DOM is changed in place and the payload text follows it. JSON moves stay in enrich.ts.
import { ConnectorError } from '../../errors.js';
import {
  commitXmlMessage,
  envelopeText,
  evaluateNode,
  firstChildElement,
  isElementNode,
  parseXmlDocument,
  payloadKind,
  serializeNode,
  setXmlPayload,
  xmlMessage,
  xmlToJson,
  type MessageContext,
  type Node,
  type XmlMessage,
} from '../../context/index.js';
import type { EnrichMediator } from '../model.js';

/** XML nodes, or text for a source that is not XML. */
type XmlSource = { nodes: Node[] } | { text: string };

/** True when this enrich is an XML one (an XPath source or target, or the XML payload with an XML value). */
export function isXmlEnrich(m: EnrichMediator, ctx: MessageContext): boolean {
  if (m.target.type === 'custom' && m.target.path?.kind === 'xpath') return true;
  if (m.source.type === 'custom' && m.source.expression?.kind === 'xpath') return true;
  if (payloadKind(ctx) !== 'xml') return false;
  return m.source.type === 'body' || m.target.type === 'body';
}

export function runXmlEnrich(m: EnrichMediator, ctx: MessageContext): void {
  const source = sourceOf(m, ctx);
  const { target } = m;
  switch (target.type) {
    case 'property':
    case 'variable': {
      const text = 'nodes' in source ? source.nodes.map(serializeNode).join('') : source.text;
      if (target.type === 'property') ctx.setProperty(target.property!, text);
      else ctx.variables.set(target.property!, text);
      return;
    }
    case 'body':
      return intoBody(m, ctx, source);
    case 'custom':
      return intoXPath(m, ctx, source);
  }
}

function sourceOf(m: EnrichMediator, ctx: MessageContext): XmlSource {
  const { source } = m;
  switch (source.type) {
    case 'custom':
      if (source.expression!.kind === 'xpath') {
        const nodes = source.expression!.xpath.nodes(ctx);
        if (nodes.length === 0) throw enrichError(m, `the source '${describe(m)}' selects nothing`);
        return { nodes };
      }
      return fromValue(evaluateNode(source.expression!, ctx));
    case 'body': {
      if (payloadKind(ctx) !== 'xml') return fromValue(ctx.payload);
      const root = firstChildElement(xmlMessage(ctx).body);
      return root ? { nodes: [root] } : { text: '' };
    }
    case 'property':
      return fromValue(ctx.getProperty(source.property!));
    case 'variable':
      return fromValue(ctx.variables.get(source.property!));
    case 'inline':
      return fromValue(source.inline ?? '');
  }
}

/** A value as XML nodes when it is XML text (or nodes), else as text (JSON as its JSON text). */
function fromValue(value: unknown): XmlSource {
  if (isElementNode(value)) return { nodes: [value] };
  if (value === undefined || value === null) return { text: '' };
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const t = text.trim();
  if (t.startsWith('<') && t.endsWith('>')) {
    try {
      const doc = parseXmlDocument(`<r>${t}</r>`);
      const nodes: Node[] = [];
      for (let c = doc.documentElement!.firstChild; c; c = c.nextSibling) if (isElementNode(c)) nodes.push(c);
      if (nodes.length > 0) return { nodes };
    } catch {
      // not XML: text
    }
  }
  return { text };
}

function intoBody(m: EnrichMediator, ctx: MessageContext, source: XmlSource): void {
  if (!('nodes' in source)) throw enrichError(m, 'an XML body can only be replaced by XML (the source is text)');
  const xml = source.nodes.map(serializeNode).join('');
  if (m.target.action === 'replace') {
    const current = payloadKind(ctx) === 'xml' ? xmlMessage(ctx) : undefined;
    // A SOAP message keeps its envelope (and header); only what the body holds is replaced.
    if (current?.soap) setXmlPayload(ctx, envelopeText(current.soap, xml, current.header), ctx.contentType);
    else setXmlPayload(ctx, xml, payloadKind(ctx) === 'xml' ? ctx.contentType : 'application/xml');
    return;
  }
  const message = xmlMessage(ctx);
  const root = firstChildElement(message.body);
  if (!root) throw enrichError(m, 'the body is empty');
  for (const node of source.nodes) {
    const copy = message.document.importNode(node, true);
    if (m.target.action === 'child') root.appendChild(tidy(copy, root));
    else message.body.appendChild(tidy(copy, message.body));
  }
  commit(ctx, message);
}

function intoXPath(m: EnrichMediator, ctx: MessageContext, source: XmlSource): void {
  const path = m.target.path!;
  if (path.kind !== 'xpath') throw enrichError(m, 'the target must be an XPath into an XML payload');
  const message = xmlMessage(ctx);
  const targets = path.xpath.nodes(ctx, message);
  if (targets.length === 0) throw enrichError(m, `the target '${m.target.pathText}' selects nothing`);
  const target = targets[0]!;
  const doc = message.document;
  if (!('nodes' in source)) {
    // Text into an element (its content), an attribute or a text node (its value).
    if (m.target.action !== 'replace' && isElementNode(target)) target.appendChild(doc.createTextNode(source.text));
    else if (isElementNode(target)) target.textContent = source.text;
    else target.nodeValue = source.text;
    commit(ctx, message);
    return;
  }
  const parent = target.parentNode;
  for (const node of source.nodes) {
    const copy = doc.importNode(node, true);
    if (m.target.action === 'child') {
      if (!isElementNode(target)) throw enrichError(m, `action="child" needs an element target, and '${m.target.pathText}' is not one`);
      target.appendChild(tidy(copy, target));
    } else if (!parent) throw enrichError(m, `'${m.target.pathText}' has no parent to put the source beside`);
    else if (m.target.action === 'sibling') parent.insertBefore(tidy(copy, parent), target.nextSibling);
    else parent.insertBefore(tidy(copy, parent), target);
  }
  if (m.target.action === 'replace' && parent) parent.removeChild(target);
  commit(ctx, message);
}

/** Drops namespace declarations of a copied element that its new place already has in scope (they would be repeated). */
function tidy(copy: Node, place: Node): Node {
  if (!isElementNode(copy)) return copy;
  for (let i = copy.attributes.length - 1; i >= 0; i--) {
    const attr = copy.attributes.item(i)!;
    const prefix = attr.name === 'xmlns' ? null : attr.name.startsWith('xmlns:') ? attr.name.slice(6) : undefined;
    if (prefix !== undefined && place.lookupNamespaceURI(prefix) === attr.value) copy.removeAttribute(attr.name);
  }
  return copy;
}

/** The changed envelope becomes the payload; a JSON payload changed through its XML form stays JSON. */
function commit(ctx: MessageContext, message: XmlMessage): void {
  if (payloadKind(ctx) === 'json') {
    const root = firstChildElement(message.body);
    ctx.payload = root ? (xmlToJson(root) as MessageContext['payload']) : undefined;
    return;
  }
  commitXmlMessage(ctx, message);
}

function describe(m: EnrichMediator): string {
  const e = m.source.expression;
  return e?.kind === 'xpath' ? e.xpath.source : 'expression';
}

function enrichError(m: EnrichMediator, message: string): ConnectorError {
  return new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: enrich: ${message}` });
}
