// Reads a descriptor file into plain objects. Imported only when a catalogue is loaded without a fresh snapshot.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { descriptorError } from './descriptor-error.js';
import { XML_PARSER_LIMITS, describeXmlFailure } from '../xml-limits.js';
import type { XmlObject } from './xml.js';

/** Elements that may repeat; always parsed as arrays so the schema sees one shape. */
const REPEATED = new Set(['operation', 'alias', 'parameter', 'query', 'part', 'header', 'setting', 'step', 'with', 'check']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Attributes are never lists (<step operation="..."> shares its name with connector.xml's <operation>).
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(name),
  ...XML_PARSER_LIMITS,
});

export function parseXml(raw: string, file: string): XmlObject {
  const valid = XMLValidator.validate(raw);
  if (valid !== true) {
    throw descriptorError(file, valid.err.line, `not well-formed XML: ${valid.err.msg}`);
  }
  try {
    return parser.parse(raw) as XmlObject;
  } catch (err) {
    const refusal = describeXmlFailure(raw, err);
    throw descriptorError(file, refusal.line, refusal.message, err);
  }
}
