// `<validate>` at run time: the schema a key names (a local entry, or a registry resource such as
// `conf:/schema/a.json`) is a JSON Schema (ajv) or an XML Schema (libxml2, xml-schema.ts), told apart by its text.
// A JSON Schema validates the JSON value (the payload, or what `source` gives); an XML Schema validates an element
// (the SOAP body's first child, as MI does, or the XML `source` gives).
import { ConnectorError } from '../../errors.js';
import { asText, evaluateNode, payloadElement, serializeNode, type MessageContext } from '../../context/index.js';
import type { Flow, ValidateMediator } from '../model.js';
import { resourceKey } from '../resource-key.js';
import { compileJsonSchema, describeSchemaErrors, miSchemaMessage } from './json-schema.js';
import { isXmlSchemaText, validateWithXmlSchema } from './xml-schema.js';

/** The text a schema or resource key names: a local entry of that name, else the registry resource. */
export function schemaText(flow: Pick<Flow, 'localValues'>, key: string): string | undefined {
  return flow.localValues.get(key) ?? flow.localValues.get(resourceKey(key));
}

/** Why the message does not conform: ERROR_MESSAGE (the first problem, worded as MI words it) and ERROR_DETAIL (every problem); undefined when it conforms. */
export async function nonConformity(m: ValidateMediator, ctx: MessageContext, flow: Flow): Promise<{ message: string; detail: string } | undefined> {
  const text = schemaText(flow, m.schemaKey);
  if (text === undefined) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: <validate>: the schema '${m.schemaKey}' does not exist` });
  if (isXmlSchemaText(text)) return xmlNonConformity(m, ctx, flow, text);
  const schema = compileJsonSchema(text);
  if ('problem' in schema) throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: <validate>: the schema '${m.schemaKey}' ${schema.problem}` });
  const value = m.source ? evaluateNode(m.source, ctx) : ctx.payload;
  if (schema.validate(value)) return undefined;
  return { message: miSchemaMessage(schema.validate.errors, value), detail: describeSchemaErrors(schema.validate.errors) };
}

async function xmlNonConformity(m: ValidateMediator, ctx: MessageContext, flow: Flow, schema: string): Promise<{ message: string; detail: string } | undefined> {
  let xml: string | undefined;
  if (m.source) {
    const value = evaluateNode(m.source, ctx);
    xml = value === undefined || value === null ? undefined : asText(value);
  } else {
    const el = payloadElement(ctx);
    xml = el ? serializeNode(el) : undefined;
  }
  if (xml === undefined || !xml.trimStart().startsWith('<')) {
    const why = `${m.source ? 'the source' : 'the message'} holds no XML element to validate`;
    return { message: why, detail: why };
  }
  const imports = (m.resources ?? []).map((r) => ({ location: r.location, text: schemaText(flow, r.key) ?? '' }));
  try {
    const problems = await validateWithXmlSchema(xml, schema, imports);
    return problems.length === 0 ? undefined : { message: problems[0]!, detail: problems.join('; ') };
  } catch (err) {
    throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: <validate>: the XML Schema '${m.schemaKey}' could not be used: ${(err as Error).message.trim()}`, cause: err });
  }
}
