// Mediators that matter once flows are served: <header>, <send/>, payloadFactory media-type="xml",
// logFullPayload, attributes the runtime does not implement (reported with their line), --lenient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { parseFlow, prepareFlow, runFlow } from '../../src/mediation/index.js';
import { memoryLogger, seq, startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('mediators for served flows', () => {
  it('<header> sets and removes transport headers; <send/> without an endpoint answers', async () => {
    const res = await h.run(
      seq(`<header name="X-Trace" expression="$ctx:trace" scope="transport"/>
      <header name="X-Gone" value="1"/>
      <header name="X-Gone" action="remove"/>
      <send/>
      <property name="after" value="ran"/>`),
      { properties: { trace: 'abc' } },
    );
    expect(res.outcome).toBe('responded');
    expect(res.context.getHeader('x-trace')).toBe('abc');
    expect(res.context.getHeader('x-gone')).toBeUndefined();
    expect(res.context.getProperty('after')).toBeUndefined();
  });

  it('payloadFactory media-type="xml" fills the XML format, escaping values, as application/xml', async () => {
    const res = await h.run(
      seq(`<payloadFactory media-type="xml">
        <format><incident xmlns=""><summary>$1</summary></incident></format>
        <args><arg expression="$ctx:text"/></args>
      </payloadFactory>`),
      { properties: { text: 'a < b & "c"' } },
    );
    expect(res.context.contentType).toBe('application/xml');
    expect(res.context.payload).toBe('<incident xmlns=""><summary>a &lt; b &amp; "c"</summary></incident>');
  });

  it('log logFullPayload="true" logs the payload', async () => {
    const res = await h.run(seq(`<log level="custom" logFullPayload="true"><message>hi</message></log>`), { payload: { a: 1 } });
    expect(res.logs[0]?.fields?.payload).toEqual({ a: 1 });
  });

  it('an attribute the runtime does not implement is a warning with its line', () => {
    const { warnings } = prepareFlow(seq(`<property name="a" value="1"/>\n<property name="b" value="x" pattern="(.*)" group="1"/>`), 'attrs.xml', h.connector);
    expect(warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
      '4: <property> attribute pattern="(.*)" is not implemented here and has no effect',
      '4: <property> attribute group="1" is not implemented here and has no effect',
    ]);
  });

  it('an unknown mediator stops loading, unless --lenient: then only a message that reaches it faults', async () => {
    const xml = seq(`<filter source="$ctx:mode" regex="odd"><then><throttle/></then></filter>\n<property name="ok" value="yes"/>`);
    expect(() => prepareFlow(xml, 'odd.xml', h.connector)).toThrow(/odd\.xml:3: unknown mediator <throttle>/);
    const { flow, warnings } = prepareFlow(xml, 'odd.xml', h.connector, { lenient: true });
    expect(warnings[0]?.message).toMatch(/unknown mediator <throttle>.*--lenient/);
    const fine = await runFlow(flow, { connector: h.connector, context: new MessageContext({ properties: { mode: 'even' } }), logger: memoryLogger() });
    expect(fine.context.getProperty('ok')).toBe('yes');
    const reached = await runFlow(flow, { connector: h.connector, context: new MessageContext({ properties: { mode: 'odd' } }) });
    expect(reached.outcome).toBe('fault');
    expect(reached.error?.message).toMatch(/odd\.xml:3: <throttle> cannot run here/);
    expect(parseFlow(xml, 'odd.xml').issues[0]?.severity).toBe('error');
  });
});
