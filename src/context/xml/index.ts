// The XML side of the message: payload model, XPath, JSON <-> XML mapping, SOAP envelopes, output formatting.
export { XmlPayloadError, parseXmlDocument, serializeNode, childElements, firstChildElement, escapeXmlText, type Document, type Element, type Node } from './dom.js';
export { jsonToXmlText, xmlToJson, xmlName, jsonKey } from './json-xml.js';
export {
  SOAP11_NS,
  SOAP12_NS,
  isJsonType,
  isXmlType,
  messageFromXml,
  payloadElement,
  payloadKind,
  setXmlPayload,
  commitXmlMessage,
  xmlMessage,
  xmlPayloadAsJson,
  isElementNode,
  envelopeText,
  bodyContentText,
  contentTypeOfSoap,
  soapVersionOf,
  TEXT_PAYLOAD_NS,
  type PayloadKind,
  type SoapVersion,
  type XmlMessage,
} from './message.js';
export { compileXPath, nodeSetText, XPathCompileError, type CompiledXPath, type Namespaces } from './xpath.js';
export { formatPayload } from './format.js';
