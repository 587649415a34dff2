// <iterate>, <clone> and <aggregate> over real HTTP: each split message calls a node:http back end
// (test/support/mock-backend.ts) and the answers are gathered as Synapse gathers them.
import { describe, expect, it } from 'vitest';
import { MessageContext, setXmlPayload } from '../../src/context/index.js';
import { parseFlow, prepareFlow, runFlow } from '../../src/mediation/index.js';
import { memoryLogger } from '../mediation/helpers.js';
import { useBackendForFlows } from '../support/endpoint-harness.js';

const env = useBackendForFlows();

/** Runs `main` of a file whose {{B}} is the back end's URL; the echo endpoint is `Echo`. */
async function run(body: string, payload?: unknown, extra = '') {
  const xml = `<definitions xmlns="http://ws.apache.org/ns/synapse">
    <endpoint name="Echo"><http method="POST" uri-template="${env.backend.url}/echo"/></endpoint>
    ${extra.replaceAll('{{B}}', env.backend.url)}
    <sequence name="main">${body.replaceAll('{{B}}', env.backend.url)}</sequence>
  </definitions>`;
  const { flow } = prepareFlow(xml, 'flow.xml', env.connector);
  const logger = memoryLogger();
  const result = await runFlow(flow, { connector: env.connector, logger, context: new MessageContext(payload === undefined ? {} : { payload: payload as never }) });
  return { ...result, logs: logger.lines };
}

const GATHER = `<aggregate><onComplete expression="json-eval($)"><respond/></onComplete></aggregate>`;

describe('<iterate>', () => {
  it('splits a JSON array, calls the back end once per item (in parallel), and the aggregate answers with every answer in item order', async () => {
    const before = env.backend.hits('/echo').length;
    const r = await run(`<iterate expression="json-eval($.items)"><target><sequence><call><endpoint key="Echo"/></call></sequence></target></iterate>${GATHER}`, { items: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }] });
    expect(r.outcome).toBe('responded');
    expect(r.context.payload).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(env.backend.hits('/echo').length - before).toBe(4);
  });

  it('${...} expressions work too; each split message carries MESSAGE_SEQUENCE index/total', async () => {
    const r = await run(
      `<iterate expression="\${payload.items}"><target><sequence>
         <payloadFactory media-type="json"><format>{"item": $1, "seq": "$2"}</format><args><arg expression="json-eval($)"/><arg expression="$ctx:MESSAGE_SEQUENCE"/></args></payloadFactory>
         <call><endpoint key="Echo"/></call></sequence></target></iterate>${GATHER}`,
      { items: ['a', 'b'] },
    );
    expect(r.context.payload).toEqual([{ item: 'a', seq: '0/2' }, { item: 'b', seq: '1/2' }]);
  });

  it('sequential="true" sends the items one after the other, in order', async () => {
    const before = env.backend.hits('/echo').length;
    await run(`<iterate sequential="true" expression="json-eval($.items)"><target><sequence><call><endpoint key="Echo"/></call></sequence></target></iterate>${GATHER}`, { items: [1, 2, 3, 4, 5] });
    expect(env.backend.hits('/echo').slice(before).map((h) => JSON.parse(h.body))).toEqual([1, 2, 3, 4, 5]);
  });

  it('continueParent="true": the parent goes on after the split messages with its own payload', async () => {
    const before = env.backend.hits('/echo').length;
    const r = await run(`<iterate continueParent="true" sequential="true" expression="json-eval($.items)"><target><sequence><call><endpoint key="Echo"/></call><drop/></sequence></target></iterate>
      <property name="parent" value="went on"/><respond/>`, { items: [1, 2] });
    expect(r.outcome).toBe('responded');
    expect(r.context.payload).toEqual({ items: [1, 2] });
    expect(r.context.getProperty('parent')).toBe('went on');
    expect(env.backend.hits('/echo').length - before).toBe(2);
  });

  it('without continueParent the parent stops at the iterate: nothing after it runs for the parent', async () => {
    const r = await run(`<iterate expression="json-eval($.items)"><target><sequence><log/></sequence></target></iterate><property name="parent" value="went on"/><respond/>`, { items: [1] });
    // The inline target made no call, so (as in Synapse) the split message ends with its target; the parent stopped.
    expect(r.outcome).toBe('dropped');
    expect(r.context.getProperty('parent')).toBeUndefined();
  });

  it('a target sequence="name" runs the named sequence for each item; the split message ends there', async () => {
    const before = env.backend.hits('/echo').length;
    const r = await run(`<iterate expression="json-eval($.items)"><target sequence="perItem"/></iterate>${GATHER}`, { items: [1, 2, 3] }, `<sequence name="perItem"><call><endpoint key="Echo"/></call></sequence>`);
    expect(env.backend.hits('/echo').length - before).toBe(3);
    expect(r.outcome).toBe('dropped'); // the aggregate after the iterate is not reached from a named target
  });

  it('a target <endpoint> sends each item; with no outSequence each answer goes to the client (the first one answers)', async () => {
    const r = await run(`<iterate sequential="true" expression="json-eval($.items)"><target><endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint></target></iterate>`, { items: ['first', 'second'] });
    expect(r.outcome).toBe('responded');
    expect(r.context.payload).toBe('first');
  });

  it('an expression that is not an array is a fault naming the iterate; mixed XPath/JSON paths and attachPath without preservePayload are refused at load', async () => {
    const r = await run(`<iterate expression="json-eval($.items)"><target><sequence><log/></sequence></target></iterate>`, { items: { not: 'an array' } });
    expect(r.outcome).toBe('fault');
    expect(r.error?.message).toMatch(/flow\.xml:\d+: iterate 'json-eval\(\$\.items\)' is not a JSON array/);
    const issues = parseFlow(`<sequence name="main">
<iterate expression="//m0:getQuote/m0:request" preservePayload="true" attachPath="json-eval($.a)" xmlns:m0="urn:m0"><target><sequence><log/></sequence></target></iterate>
<iterate expression="json-eval($.a)" attachPath="json-eval($.b)"><target><sequence><log/></sequence></target></iterate>
</sequence>`, 'f.xml').issues.map((i) => `${i.line}: ${i.message}`);
    expect(issues).toEqual(expect.arrayContaining([
      '2: <iterate> expression and attachPath must both be XPath or both JSON paths (as in Synapse)',
      '3: <iterate> attachPath needs preservePayload="true" (as in Synapse)',
    ]));
  });

  it('a split message that faults runs the fault sequence of the sequence around the iterate; with none, its fault is the outcome', async () => {
    const iterate = `<iterate expression="json-eval($.items)"><target><sequence><call><endpoint><http method="GET" uri-template="${env.refused}/x"/></endpoint></call></sequence></target></iterate>`;
    const { flow } = prepareFlow(`<definitions><sequence name="main" onError="onFault">${iterate}</sequence>
      <sequence name="onFault"><payloadFactory media-type="json"><format>{"failed": "$1"}</format><args><arg expression="$ctx:ERROR_CODE"/></args></payloadFactory><respond/></sequence></definitions>`, 'flow.xml', env.connector);
    const handled = await runFlow(flow, { connector: env.connector, context: new MessageContext({ payload: { items: [1] } }) });
    expect(handled.outcome).toBe('fault');
    expect(handled.faultStop).toBe('respond');
    expect(handled.context.payload).toEqual({ failed: '101503' });
    const r = await run(iterate, { items: [1] });
    expect(r.outcome).toBe('fault');
    expect(r.error?.message).toMatch(/connection refused/);
  });
});

describe('<iterate> and <aggregate> over XML', () => {
  it('an XPath splits a plain XML payload into one message per element; the aggregate wraps them in the enclosing element', async () => {
    const before = env.backend.hits('/echo').length;
    const ctx = new MessageContext();
    setXmlPayload(ctx, '<orders xmlns="urn:o"><order id="1"/><order id="2"/><order id="3"/></orders>', 'application/xml');
    const { flow } = prepareFlow(`<definitions><sequence name="main">
      <property name="all"><Orders xmlns="urn:o"/></property>
      <iterate expression="//o:order" xmlns:o="urn:o"><target><sequence><call><endpoint><http method="POST" uri-template="${env.backend.url}/echo"/></endpoint></call></sequence></target></iterate>
      <aggregate><onComplete expression="//o:order" xmlns:o="urn:o" enclosingElementProperty="all"><respond/></onComplete></aggregate>
    </sequence></definitions>`, 'flow.xml', env.connector);
    const r = await runFlow(flow, { connector: env.connector, context: ctx });
    expect(r.outcome).toBe('responded');
    expect(r.context.contentType).toMatch(/xml/);
    expect(String(r.context.payload).replace(/\s+xmlns="urn:o"/g, '')).toBe('<Orders><order id="1"/><order id="2"/><order id="3"/></Orders>');
    expect(env.backend.hits('/echo').length - before).toBe(3);
  });
});

describe('<aggregate>', () => {
  const split = (items: string, extra = '') => `<iterate ${extra} expression="json-eval($.items)"><target><sequence><call><endpoint key="Echo"/></call></sequence></target></iterate>`;

  it('messageCount max completes with that many messages; later ones are dropped', async () => {
    const r = await run(`${split('', 'sequential="true"')}<aggregate><completeCondition><messageCount min="-1" max="2"/></completeCondition><onComplete expression="json-eval($)"><respond/></onComplete></aggregate>`, { items: [1, 2, 3] });
    expect(r.outcome).toBe('responded');
    expect(r.context.payload).toEqual([1, 2]);
  });

  it('completeCondition timeout completes with the messages that came; without a timeout an aggregation that cannot complete is given up', async () => {
    // Item 2 is dropped before the aggregate: only two of three arrive.
    const drop2 = `<iterate expression="json-eval($.items)"><target><sequence><call><endpoint key="Echo"/></call><filter source="json-eval($)" regex="2"><then><drop/></then></filter></sequence></target></iterate>`;
    const timed = await run(`${drop2}<aggregate><completeCondition timeout="1"/><onComplete expression="json-eval($)"><respond/></onComplete></aggregate>`, { items: [1, 2, 3] });
    expect(timed.outcome).toBe('responded');
    expect(timed.context.payload).toEqual([1, 3]);
    expect(timed.logs.some((l) => /aggregate timed out after 1000 ms with 2 message/.test(l.message))).toBe(true);
    const stuck = await run(`${drop2}${GATHER}`, { items: [1, 2, 3] });
    expect(stuck.outcome).toBe('dropped');
    expect(stuck.logs.some((l) => /aggregate got 2 of 3 messages and cannot complete/.test(l.message))).toBe(true);
  });

  it('aggregateElementType="child" merges the objects, clashing keys into arrays; enclosingElementProperty wraps the result', async () => {
    const child = await run(`${split('')}<aggregate><onComplete expression="json-eval($)" aggregateElementType="child"><respond/></onComplete></aggregate>`, { items: [{ a: 1, tags: ['x'] }, { a: 2, tags: ['y'], b: true }] });
    expect(child.context.payload).toEqual({ a: [1, 2], tags: ['x', 'y'], b: true });
    const enclosed = await run(`<property name="info" scope="default"><ns:Information xmlns:ns="www.asankatechtalks.com"/></property>${split('')}<aggregate><onComplete expression="json-eval($.n)" enclosingElementProperty="info"><respond/></onComplete></aggregate>`, { items: [{ n: 1 }, { n: 2 }] });
    expect(enclosed.context.payload).toEqual({ Information: [1, 2] });
  });

  it('onComplete goes on with the mediators after the aggregate', async () => {
    const r = await run(`${split('')}<aggregate><onComplete expression="json-eval($.n)"><property name="gathered" value="yes"/></onComplete></aggregate>
      <payloadFactory media-type="json"><format>{"all": $1, "flag": "$2"}</format><args><arg expression="json-eval($)"/><arg expression="$ctx:gathered"/></args></payloadFactory><respond/>`, { items: [{ n: 'a' }, { n: 'b' }] });
    expect(r.context.payload).toEqual({ all: ['a', 'b'], flag: 'yes' });
  });

  it('id matches the iterate of the same id (nested splits gather at their own level)', async () => {
    const r = await run(`<iterate id="outer" expression="json-eval($.groups)"><target><sequence>
        <iterate id="inner" expression="json-eval($.items)"><target><sequence><call><endpoint key="Echo"/></call></sequence></target></iterate>
        <aggregate id="inner"><onComplete expression="json-eval($)"><call><endpoint key="Echo"/></call></onComplete></aggregate>
      </sequence></target></iterate>
      <aggregate id="outer"><onComplete expression="json-eval($)"><respond/></onComplete></aggregate>`, { groups: [{ items: [1, 2] }, { items: [3] }] });
    expect(r.outcome).toBe('responded');
    expect(r.context.payload).toEqual([[1, 2], [3]]);
  });

  it('correlateOn gathers messages of different requests until messageCount min is reached', async () => {
    const xml = `<definitions><sequence name="main"><aggregate><correlateOn expression="json-eval($.order)"/><completeCondition><messageCount min="2" max="-1"/></completeCondition>
      <onComplete expression="json-eval($.line)"><respond/></onComplete></aggregate></sequence></definitions>`;
    const { flow } = prepareFlow(xml, 'flow.xml', env.connector);
    const first = await runFlow(flow, { connector: env.connector, context: new MessageContext({ payload: { order: 'A', line: 'one' } }) });
    expect(first.outcome).toBe('dropped'); // held by the aggregation
    const second = await runFlow(flow, { connector: env.connector, context: new MessageContext({ payload: { order: 'A', line: 'two' } }) });
    expect(second.outcome).toBe('responded');
    expect(second.context.payload).toEqual(['one', 'two']);
    // A message without the correlation value is not aggregated: it goes on.
    const other = await runFlow(flow, { connector: env.connector, context: new MessageContext({ payload: { line: 'three' } }) });
    expect(other.outcome).toBe('completed');
  });

  it('a message that did not come from a split goes on past the aggregate', async () => {
    const r = await run(`${GATHER}<property name="after" value="ran"/>`, { a: 1 });
    expect(r.outcome).toBe('completed');
    expect(r.context.getProperty('after')).toBe('ran');
  });
});

describe('<clone>', () => {
  it('copies the message to each target; the copies are independent and gathered in target order', async () => {
    const r = await run(`<clone>
        <target><sequence><property name="who" value="first"/><call><endpoint key="Echo"/></call></sequence></target>
        <target><sequence><payloadFactory media-type="json"><format>{"changed": true}</format><args/></payloadFactory><call><endpoint key="Echo"/></call></sequence></target>
      </clone>${GATHER}`, { original: 1 });
    expect(r.outcome).toBe('responded');
    expect(r.context.payload).toEqual([{ original: 1 }, { changed: true }]);
  });

  it('targets with endpoints: each answer is a response; sequential and continueParent are honoured', async () => {
    const before = env.backend.hits('/echo').length;
    const r = await run(`<clone sequential="true" continueParent="true">
        <target><endpoint key="Echo"/></target>
        <target><endpoint><http method="POST" uri-template="{{B}}/echo"/></endpoint></target>
      </clone><property name="parent" value="went on"/>`, { x: 1 });
    expect(env.backend.hits('/echo').length - before).toBe(2);
    // With no outSequence the first endpoint answer is the request's answer.
    expect(r.outcome).toBe('responded');
    expect(r.context.payload).toEqual({ x: 1 });
  });

  it('refuses at load what it cannot do, with the line', () => {
    const issues = parseFlow(`<sequence name="main">
<clone iterations="3"><target><sequence><log/></sequence></target></clone>
<clone><target to="http://x"/></clone>
</sequence>`, 'f.xml').issues.map((i) => `${i.line}: ${i.message}`);
    expect(issues).toEqual(expect.arrayContaining(['2: <clone iterations="..."> is not supported (write one <target> per copy)', '3: a <target> of <clone> needs a <sequence>, sequence="name" or an <endpoint>']));
  });
});
