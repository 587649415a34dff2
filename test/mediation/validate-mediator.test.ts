// <validate> with a JSON Schema held in a <localEntry>: conforming messages go on, others run <on-fail> with
// ERROR_MESSAGE naming what is wrong; a missing or broken schema is reported at load with its line. Served too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifacts } from '../../src/artifacts/index.js';
import { MessageContext } from '../../src/context/index.js';
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
        <payloadFactory media-type="json"><format>{"rejected": "$1"}</format><args><arg expression="$ctx:ERROR_MESSAGE"/></args></payloadFactory>
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

  it('runs <on-fail> with every problem in ERROR_MESSAGE for a message that does not conform', async () => {
    const r = await run(flowXml(), { host: '', severity: 'info' });
    expect(r.outcome).toBe('responded');
    const rejected = (r.context.payload as { rejected: string }).rejected;
    expect(rejected).toContain("does not conform to the schema 'AlertSchema'");
    expect(rejected).toContain('/host: must NOT have fewer than 1 characters');
    expect(rejected).toContain('/severity: must be equal to one of the allowed values');
    expect(r.context.getProperty('accepted')).toBeUndefined();
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
