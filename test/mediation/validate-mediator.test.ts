// <validate> with a JSON Schema held in a <localEntry>: conforming messages go on, others run <on-fail> with
// ERROR_MESSAGE naming what is wrong; a missing or broken schema is reported at load with its line. Served too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifacts } from '../../src/artifacts/index.js';
import { MessageContext, setXmlPayload } from '../../src/context/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { prepareFlow, runFlow } from '../../src/mediation/index.js';
import { startFlowServer, type FlowServer } from '../../src/serve/index.js';

const SCHEMA = `{"type": "object", "required": ["host", "severity"],
  "properties": {"host": {"type": "string", "minLength": 1}, "severity": {"enum": ["critical", "warning"]}}}`;

const flowXml = (validateAttrs = '', schemaKey = 'AlertSchema', schema = SCHEMA) => `<definitions xmlns="http://ws.apache.org/ns/synapse">
  <localEntry key="${schemaKey}"><![CDATA[${schema}]]></localEntry>
  <sequence name="main">
    <validate ${validateAttrs}>
      <schema key="AlertSchema"/>
      <on-fail>
        <payloadFactory media-type="json"><format>{"rejected": "$1", "detail": "$2"}</format><args><arg expression="$ctx:ERROR_MESSAGE"/><arg expression="$ctx:ERROR_DETAIL"/></args></payloadFactory>
        <respond/>
      </on-fail>
    </validate>
    <property name="accepted" value="yes"/>
  </sequence>
</definitions>`;

let connector: Connector;
let server: FlowServer | undefined;
beforeAll(async () => {
  connector = await loadConnector();
});
afterAll(async () => {
  await server?.close();
});

async function run(xml: string, payload: unknown) {
  const { flow } = prepareFlow(xml, 'flow.xml', connector);
  return runFlow(flow, { connector, context: new MessageContext({ payload: payload as never }) });
}

describe('<validate> with a JSON Schema', () => {
  it('lets a conforming message through', async () => {
    const r = await run(flowXml(), { host: 'db-1', severity: 'critical' });
    expect(r.outcome).toBe('completed');
    expect(r.context.getProperty('accepted')).toBe('yes');
  });

  it('runs <on-fail> with the first problem in ERROR_MESSAGE and every problem in ERROR_DETAIL for a message that does not conform', async () => {
    const r = await run(flowXml(), { host: '', severity: 'info' });
    expect(r.outcome).toBe('responded');
    const { rejected, detail } = r.context.payload as { rejected: string; detail: string };
    expect(rejected).toBe('/host: must NOT have fewer than 1 characters');
    expect(detail).toContain('/host: must NOT have fewer than 1 characters');
    expect(detail).toContain('/severity: must be equal to one of the allowed values');
    expect(r.context.getProperty('accepted')).toBeUndefined();
  });

  it('words required and type problems in ERROR_MESSAGE as MI does', async () => {
    const missing = await run(flowXml(), {});
    expect((missing.context.payload as { rejected: string }).rejected).toBe('object has missing required properties (["host","severity"])');
    const wrongType = await run(flowXml(), { host: 5, severity: 'warning' });
    expect((wrongType.context.payload as { rejected: string }).rejected).toBe('instance type (integer) does not match any allowed primitive type (allowed: ["string"])');
  });

  it('validates only the part named by source', async () => {
    const r = await run(flowXml('source="json-eval($.alert)"'), { alert: { host: 'web-2', severity: 'warning' }, extra: 1 });
    expect(r.context.getProperty('accepted')).toBe('yes');
    const bad = await run(flowXml('source="json-eval($.alert)"'), { host: 'web-2', severity: 'warning' });
    expect(bad.outcome).toBe('responded');
  });

  it('reports a missing schema and a broken one at load, with the line', () => {
    expect(() => prepareFlow(flowXml('', 'OtherKey'), 'flow.xml', connector)).toThrow(/flow\.xml:5: <validate>: no <localEntry key="AlertSchema">/);
    expect(() => prepareFlow(flowXml('', 'AlertSchema', '{"type": 12}'), 'flow.xml', connector)).toThrow(/flow\.xml:4: <validate>: the schema 'AlertSchema' is not a valid JSON Schema/);
    expect(() => prepareFlow(flowXml('', 'AlertSchema', '{not json'), 'flow.xml', connector)).toThrow(/the schema 'AlertSchema' is not JSON/);
  });

  it('answers a served request that does not conform from <on-fail>, with the schema in a local-entry file', async () => {
    const artifacts = buildArtifacts(
      [
        { file: 'local-entries/AlertSchema.xml', text: `<localEntry key="AlertSchema" xmlns="http://ws.apache.org/ns/synapse"><![CDATA[${SCHEMA}]]></localEntry>` },
        {
          file: 'apis/Alerts.xml',
          text: `<api name="Alerts" context="/alerts" xmlns="http://ws.apache.org/ns/synapse"><resource methods="POST"><inSequence>
            <validate><schema key="AlertSchema"/><on-fail>
              <payloadFactory media-type="json"><format>{"error": "$1"}</format><args><arg expression="$ctx:ERROR_DETAIL"/></args></payloadFactory>
              <property name="HTTP_SC" value="400" scope="axis2"/><respond/></on-fail></validate>
            <payloadFactory media-type="json"><format>{"ok": true}</format></payloadFactory><respond/></inSequence></resource></api>`,
        },
      ],
      { connector },
    );
    server = await startFlowServer({ artifacts, connector, port: 0 });
    const post = (body: unknown) => fetch(`${server!.url}/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const good = await post({ host: 'h', severity: 'critical' });
    expect([good.status, await good.json()]).toEqual([200, { ok: true }]);
    const bad = await post({ severity: 'critical' });
    expect([bad.status, await bad.json()]).toEqual([400, { error: "/: must have required property 'host'" }]);
  });
});

const XSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:orders" xmlns:o="urn:orders" elementFormDefault="qualified">
  <xs:include schemaLocation="types.xsd"/>
  <xs:element name="order"><xs:complexType><xs:sequence><xs:element name="qty" type="o:Quantity"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>`;
const TYPES = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:orders"><xs:simpleType name="Quantity"><xs:restriction base="xs:positiveInteger"/></xs:simpleType></xs:schema>`;

describe('<validate> with an XML Schema', () => {
  const xsdFlow = (extra = '') => `<definitions xmlns="http://ws.apache.org/ns/synapse">
  <localEntry key="OrderSchema"><![CDATA[${XSD}]]></localEntry>
  <localEntry key="OrderTypes"><![CDATA[${TYPES}]]></localEntry>
  <sequence name="main">
    <validate source="//o:order" xmlns:o="urn:orders">
      <schema key="OrderSchema"/><resource location="types.xsd" key="OrderTypes"/>${extra}
      <on-fail><property name="why" expression="$ctx:ERROR_MESSAGE"/><drop/></on-fail>
    </validate>
    <property name="accepted" value="yes"/>
  </sequence>
</definitions>`;

  it('validates the element source selects, with the schema it includes given by <resource>; the problem is libxml2\'s', async () => {
    const { flow } = prepareFlow(xsdFlow(), 'flow.xml', connector);
    const one = async (qty: string) => {
      const context = new MessageContext();
      setXmlPayload(context, `<batch><o:order xmlns:o="urn:orders"><o:qty>${qty}</o:qty></o:order></batch>`, 'application/xml');
      return (await runFlow(flow, { connector, context })).context;
    };
    expect((await one('3')).getProperty('accepted')).toBe('yes');
    const bad = await one('0');
    expect(bad.getProperty('accepted')).toBeUndefined();
    expect(String(bad.getProperty('why'))).toMatch(/Element '\{urn:orders\}qty': '0' is not a valid value of the atomic type '\{urn:orders\}Quantity'/);
  });

  it('reports at load a schema that is not an XML Schema, a resource key that names nothing, and a dynamic key; an unknown feature is a warning', () => {
    const broken = xsdFlow().replace('<localEntry key="OrderSchema"><![CDATA[', '<localEntry key="OrderSchema"><![CDATA[<schema>').replace('</xs:schema>]]></localEntry>\n  <localEntry key="OrderTypes">', '</xs:schema></schema>]]></localEntry>\n  <localEntry key="OrderTypes">');
    expect(() => prepareFlow(broken, 'flow.xml', connector)).toThrow(/flow\.xml:8: <validate>: the schema 'OrderSchema' is not an XML Schema \(its root is <schema>/);
    expect(() => prepareFlow(xsdFlow().replace('key="OrderTypes"/>', 'key="conf:/schema/nothing.xsd"/>'), 'flow.xml', connector)).toThrow(/<resource key="conf:\/schema\/nothing\.xsd"> names no local entry or registry resource/);
    expect(() => prepareFlow(xsdFlow().replace('<schema key="OrderSchema"/>', '<schema key="{$ctx:which}"/>'), 'flow.xml', connector)).toThrow(/a dynamic schema key/);
    const { warnings } = prepareFlow(xsdFlow('<feature name="http://example.org/other" value="true"/>'), 'flow.xml', connector);
    expect(warnings.map((w) => w.message).join('\n')).toContain('<feature name="http://example.org/other"> is not implemented here');
  });
});
