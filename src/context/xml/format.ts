// Writes the payload in the media type it leaves in (the answer to a client, the body sent to an endpoint), the way
// MI's message formatters do, so that setting messageType converts the message:
//   JSON types            an XML payload through MI's XML -> JSON mapping (the body's first child)
//   application/xml, +xml the XML payload (a SOAP envelope's body child: the POX formatter); a JSON payload as MI's
//                         XML form of it (<jsonObject> ...)
//   SOAP                  text/xml (1.1, MI's SOAPMessageFormatter), application/soap+xml (1.2), an endpoint's
//                         format="soap11|soap12": the envelope, built around the payload when it is not one
//   anything else         text as it is, JSON as JSON text
import type { MessageContext } from '../message-context.js';
import { firstChildElement, serializeNode } from './dom.js';
import { jsonToXmlText } from './json-xml.js';
import { bodyContentText, envelopeText, isJsonType, isXmlType, payloadKind, xmlMessage, xmlPayloadAsJson, type SoapVersion } from './message.js';

/**
 * The payload as the body of a message of media type `target` (parameters such as charset allowed). `soap` forces a
 * SOAP envelope of that version (an endpoint's format="soap11"/"soap12").
 */
export function formatPayload(ctx: MessageContext, target: string, soap?: SoapVersion): string {
  const kind = payloadKind(ctx);
  if (kind === 'none') return ctx.payload === null ? 'null' : '';
  const type = target.split(';')[0]!.trim().toLowerCase();
  if (soap === undefined && type === 'application/soap+xml') soap = '1.2';
  if (soap === undefined && type === 'text/xml') soap = kind === 'xml' && xmlMessage(ctx).soap === '1.2' ? '1.2' : '1.1';
  if (soap) return asEnvelope(ctx, soap);
  if (isJsonType(type)) {
    if (kind === 'xml') return JSON.stringify(xmlPayloadAsJson(ctx) ?? null);
    return typeof ctx.payload === 'string' ? ctx.payload : JSON.stringify(ctx.payload);
  }
  if (isXmlType(type)) {
    if (kind === 'json') return jsonToXmlText(ctx.payload);
    if (kind === 'xml') {
      const message = xmlMessage(ctx);
      if (!message.soap) return ctx.payload as string;
      const root = firstChildElement(message.body);
      return root ? serializeNode(root) : '';
    }
    return ctx.payload as string;
  }
  return typeof ctx.payload === 'string' ? ctx.payload : JSON.stringify(ctx.payload);
}

function asEnvelope(ctx: MessageContext, version: SoapVersion): string {
  const kind = payloadKind(ctx);
  if (kind === 'xml') {
    const message = xmlMessage(ctx);
    if (message.soap === version) return ctx.payload as string;
    if (message.soap) return envelopeText(version, bodyContentText(message), message.header);
    return envelopeText(version, ctx.payload as string);
  }
  if (kind === 'json') return envelopeText(version, jsonToXmlText(ctx.payload));
  return envelopeText(version, bodyContentText(xmlMessage(ctx)));
}
