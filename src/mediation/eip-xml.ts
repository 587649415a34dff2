// `<iterate>` and `<aggregate>` over XML payloads with XPath, as Synapse does it on the envelope: the iterated
// elements are taken out of a copy of the message; each new message is the envelope with one element as its body
// (or, with preservePayload, the emptied copy with the element attached under attachPath). Aggregation puts the
// elements the onComplete XPath selects in every message into the body of the first message's envelope.
import { ConnectorError } from '../errors.js';
import {
  bodyContentText,
  envelopeText,
  firstChildElement,
  isElementNode,
  messageFromXml,
  parseXmlDocument,
  serializeNode,
  setXmlPayload,
  xmlMessage,
  type CompiledXPath,
  type MessageContext,
  type Node,
  type XmlMessage,
} from '../context/index.js';
import { isSoapType } from '../context/xml/message.js';
import type { AggregateMediator, IterateMediator } from './model.js';

/** The payload text of a message (the whole envelope when the payload is SOAP). */
function messageText(message: XmlMessage): string {
  return message.soap ? serializeNode(message.document) : bodyContentText(message);
}

function xpathOf(node: { kind: string }): CompiledXPath | undefined {
  return node.kind === 'xpath' ? (node as unknown as { xpath: CompiledXPath }).xpath : undefined;
}

export function isXPath(node: { kind: string }): boolean {
  return xpathOf(node) !== undefined;
}

/** The payloads (text + content type) of the messages an XPath `<iterate>` makes. */
export function splitXml(m: IterateMediator, ctx: MessageContext): { payload: string; contentType: string }[] {
  const where = `${m.file}:${m.line}: iterate '${m.expressionText}'`;
  const soapAllowed = isSoapType(ctx.contentType);
  // A copy to take the elements out of: the message's own envelope stays as it is (continueParent).
  const working = messageFromXml(messageText(xmlMessage(ctx)), soapAllowed);
  const items = xpathOf(m.expression)!.nodes(ctx, working).filter(isElementNode);
  const texts = items.map((el) => serializeNode(el as unknown as Node));
  for (const el of items) el.parentNode?.removeChild(el);
  const contentType = ctx.contentType;
  if (!m.preservePayload) {
    // The element is the new message's body (the envelope and its header kept for a SOAP message).
    return texts.map((t) => ({ payload: working.soap ? envelopeText(working.soap, t, working.header) : t, contentType }));
  }
  const base = messageText(working);
  return texts.map((t) => {
    const copy = messageFromXml(base, soapAllowed);
    const attach = m.attachPath ? xpathOf(m.attachPath)!.nodes(ctx, copy).find(isElementNode) : firstChildElement(copy.body);
    if (!attach) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${where}: the attach path '${m.attachPathText ?? '.'}' selects no element to attach the split elements to` });
    attach.appendChild(copy.document.importNode(parseXmlDocument(t).documentElement!, true));
    return { payload: messageText(copy), contentType };
  });
}

/**
 * Makes the aggregated message's payload: the first message's envelope whose body holds the elements the onComplete
 * XPath selects in every message (wrapped in the enclosing element when one is given).
 */
export function aggregateXml(m: AggregateMediator, gathered: readonly MessageContext[], target: MessageContext, enclosing: unknown): void {
  const xpath = xpathOf(m.expression)!;
  const elements: string[] = [];
  for (const g of gathered) for (const n of xpath.nodes(g)) if (isElementNode(n)) elements.push(serializeNode(n as unknown as Node));
  let inner = elements.join('');
  if (m.enclosingProperty !== undefined) {
    if (typeof enclosing !== 'string' || !enclosing.trim().startsWith('<')) {
      throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: aggregate enclosingElementProperty '${m.enclosingProperty}' must hold an XML element` });
    }
    const doc = parseXmlDocument(enclosing);
    for (const e of elements) doc.documentElement!.appendChild(doc.importNode(parseXmlDocument(e).documentElement!, true));
    inner = serializeNode(doc.documentElement! as unknown as Node);
  }
  const first = gathered[0]!;
  const message = xmlMessage(first);
  if (message.soap) {
    setXmlPayload(target, envelopeText(message.soap, inner, message.header), first.contentType);
    return;
  }
  if (m.enclosingProperty === undefined && elements.length !== 1) {
    throw new ConnectorError({
      code: 'SEQUENCE_ERROR',
      message: `${m.file}:${m.line}: aggregate '${m.expressionText}' gathered ${elements.length} elements from plain XML messages; one XML payload needs one root: give enclosingElementProperty`,
    });
  }
  setXmlPayload(target, inner, first.contentType);
}
