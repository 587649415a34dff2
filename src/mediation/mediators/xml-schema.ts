// `<validate>` with an XML Schema (XSD), as MI validates XML messages. The validator is libxml2's own, through
// xmllint-wasm (libxml2 compiled to WebAssembly: MIT, no dependencies, no install script, no Java, no network: the
// schema and the message are files in the WebAssembly module's in-memory file system). It is loaded on the first
// XML-schema validation only, so flows without one do not pay for it. Each validation runs in a worker thread that
// the library starts for it: about a third of a second per message on this machine, which is why XML Schema is
// the slow path of <validate> (JSON Schema, compiled once by ajv, costs microseconds).
import { createRequire } from 'node:module';
import type { validateXML as ValidateXml } from 'xmllint-wasm';
import { localPart, parseXml, prefixPart } from '../xml.js';

let validateXml: typeof ValidateXml | undefined;

function library(): typeof ValidateXml {
  validateXml ??= (createRequire(import.meta.url)('xmllint-wasm') as { validateXML: typeof ValidateXml }).validateXML;
  return validateXml;
}

const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
/** libxml2's own limit is the WebAssembly memory: 256 MiB, above the 64 MiB a message body may have here. */
const MAX_MEMORY_PAGES = 4096;

/** Whether a schema text is XML (an XSD) rather than JSON: its first character. */
export function isXmlSchemaText(text: string): boolean {
  return text.trimStart().startsWith('<');
}

/** Checked at load: the text is well-formed XML whose root is an xs:schema; else the problem, as for a JSON Schema. */
export function checkXmlSchema(text: string, key: string): string | undefined {
  try {
    const root = parseXml(text, key);
    if (localPart(root.name) !== 'schema' || root.namespaces[prefixPart(root.name)] !== XSD_NS) return `is not an XML Schema (its root is <${root.name}>, not <xs:schema xmlns:xs="${XSD_NS}">)`;
    return undefined;
  } catch (err) {
    return `is not well-formed XML (${(err as Error).message})`;
  }
}

/**
 * Validates the XML text against the schema; the problems libxml2 reports (one line each, without its file prefix),
 * empty when the XML conforms. `imports` are further schema files the schema includes or imports, by location.
 */
export async function validateWithXmlSchema(xml: string, schema: string, imports: ReadonlyArray<{ location: string; text: string }> = []): Promise<string[]> {
  const result = await library()({
    xml: [{ fileName: 'message.xml', contents: xml }],
    schema: [{ fileName: 'schema.xsd', contents: schema }],
    preload: imports.map((i) => ({ fileName: i.location, contents: i.text })),
    maxMemoryPages: MAX_MEMORY_PAGES,
  });
  if (result.valid) return [];
  const problems = result.errors.map((e) => e.message.replace(/^Schemas validity error : /, '').trim()).filter((m) => m !== '' && !/ fails to validate$/.test(m));
  return problems.length > 0 ? problems : [result.rawOutput.trim()];
}
