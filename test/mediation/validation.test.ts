// Errors in a sequence file are reported before the flow runs, each with the file and line.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { ConnectorError } from '../../src/errors.js';
import { parseFlow, prepareFlow } from '../../src/mediation/index.js';

let connector: Connector;
beforeAll(async () => {
  connector = await loadConnector();
});

function errorsOf(xml: string): string {
  try {
    prepareFlow(xml, 'flows/bad.xml', connector);
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('SEQUENCE_ERROR');
    return (err as ConnectorError).message;
  }
  throw new Error('expected the flow to be rejected');
}

describe('validation before the run', () => {
  it('reports unknown mediators, unknown operations, missing parameters and bad expressions with lines', () => {
    const message = errorsOf(`<?xml version="1.0"?>
<sequence name="main" xmlns="http://ws.apache.org/ns/synapse">
  <servicenow.init>
    <serviceNowInstanceURL>{$ctx:url}</serviceNowInstanceURL>
    <username>admin</username>
    <password>admin</password>
  </servicenow.init>
  <!-- a comment with <tags> inside must not shift the lines -->
  <callout serviceURL="x"/>
  <servicenow.getRecordz><tableName>incident</tableName></servicenow.getRecordz>
  <servicenow.getRecordById>
    <tableName>incident</tableName>
  </servicenow.getRecordById>
  <servicenow.getRecords>
    <tableName>{json-eval(result)}</tableName>
  </servicenow.getRecords>
  <property name="x" expression="\${payload.a ==}"/>
  <filter source="$ctx:x" regex="(["><then/></filter>
  <sequence key="nowhere"/>
  <salesforce.query/>
</sequence>`);
    expect(message).toContain('flows/bad.xml:9: unknown mediator <callout>');
    expect(message).toMatch(/flows\/bad\.xml:10: unknown operation <servicenow\.getRecordz>/);
    expect(message).toContain('flows/bad.xml:11: <servicenow.getRecordById> misses the required parameter <sysId>');
    expect(message).toMatch(/flows\/bad\.xml:15: getRecords\.tableName: Invalid expression "\{json-eval\(result\)\}"/);
    expect(message).toMatch(/flows\/bad\.xml:17: property 'x': Invalid expression/);
    expect(message).toMatch(/flows\/bad\.xml:18: regex '\(\[' is invalid/);
    expect(message).toContain("flows/bad.xml:19: no sequence named 'nowhere'");
    expect(message).toMatch(/flows\/bad\.xml:20: unknown mediator <salesforce\.query>/);
  });

  it('reports malformed XML with its line', () => {
    const message = errorsOf(`<sequence name="main">\n  <property name="a" value="1">\n</sequence>`);
    expect(message).toMatch(/flows\/bad\.xml:\d+: malformed XML/);
  });

  it('reports broken payloadFactory formats, missing attributes, bad onError and configKey', () => {
    const message = errorsOf(`<definitions>
  <sequence name="main" onError="noSuchFault">
    <payloadFactory media-type="json"><format>{"a": $2}</format><args><arg value="1"/></args></payloadFactory>
    <payloadFactory media-type="json"><format>{"a": "$1"</format><args><arg value="1"/></args></payloadFactory>
    <property value="1"/>
    <servicenow.getRecords configKey="NOPE"><tableName>incident</tableName></servicenow.getRecords>
    <foreach><sequence/></foreach>
  </sequence>
</definitions>`);
    expect(message).toContain("flows/bad.xml:2: onError names no sequence 'noSuchFault'");
    expect(message).toMatch(/flows\/bad\.xml:3: payloadFactory: placeholder \$2 has no matching <arg>/);
    expect(message).toMatch(/flows\/bad\.xml:4: payloadFactory: the format is not valid JSON/);
    expect(message).toContain('flows/bad.xml:5: <property> needs the attribute name="..."');
    expect(message).toContain("flows/bad.xml:6: configKey 'NOPE' names no <localEntry>");
    expect(message).toMatch(/flows\/bad\.xml:7: <foreach> needs expression=/);
  });

  it('keeps unknown parameters as warnings (the WSO2 docs pass extra ones) and accepts WSO2 spellings', () => {
    const { warnings } = prepareFlow(
      `<sequence name="main">
  <servicenow.init><serviceNowInstanceURL>http://x</serviceNowInstanceURL><username>a</username><password>b</password></servicenow.init>
  <servicenow.getRecordById>
    <tableName>incident</tableName>
    <sysId>{$ctx:sysId}</sysId>
    <apiVersion>{$ctx:apiVersion}</apiVersion>
  </servicenow.getRecordById>
  <servicenow.getRecords><tableName>incident</tableName><KeyValuePairs>{$ctx:kv}</KeyValuePairs></servicenow.getRecords>
  <servicenow.deleteRecordById><tableName>incident</tableName><sysId>{$ctx:sysId}</sysId></servicenow.deleteRecordById>
</sequence>`,
      'ok.xml',
      connector,
    );
    expect(warnings.map((w) => `${w.line}: ${w.message}`)).toEqual(['6: <servicenow.getRecordById> has no parameter <apiVersion>; it is ignored']);
  });

  it('parseFlow keeps line numbers through comments, CDATA and a definitions wrapper', () => {
    const { flow, issues } = parseFlow(
      `<definitions>
<!-- <sequence name="commented"> -->
<sequence name="a">
  <payloadFactory media-type="json"><format><![CDATA[{"x": "<not-an-element/>"}]]></format></payloadFactory>
  <log level="custom">
    <property name="p" value="1"/>
  </log>
</sequence>
<sequence name="b"><drop/></sequence>
</definitions>`,
      'lines.xml',
    );
    expect(issues).toEqual([]);
    const a = flow.sequences.get('a')!;
    expect(a.line).toBe(3);
    expect(a.mediators.map((m) => m.line)).toEqual([4, 5]);
    expect(flow.sequences.get('b')!.mediators[0].line).toBe(9);
    expect(flow.defaultSequence).toBe('a');
  });
});
