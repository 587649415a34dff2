// <failover> and <loadbalance> endpoints (and <default>, clone <target to soapAction>) over real HTTP against the
// node:http mock back end: which child gets the message, how a child's circuit breaking decides the next message's
// child, and the codes of a call that no child could answer.
import { describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { prepareFlow, runFlow } from '../../src/mediation/index.js';
import { useBackendForFlows } from '../support/endpoint-harness.js';

const env = useBackendForFlows();

/** A flow whose main sequence calls `endpoint`; the returned function runs one message and gives what it ended with. */
function flowCalling(endpoint: string, extra = '') {
  const { flow } = prepareFlow(`<definitions xmlns="http://ws.apache.org/ns/synapse">${extra}
    <sequence name="main" onError="failed"><call>${endpoint}</call></sequence>
    <sequence name="failed"><property name="failed" value="yes"/></sequence></definitions>`, 'flow.xml', env.connector);
  return async () => {
    const r = await runFlow(flow, { connector: env.connector, context: new MessageContext({ payload: { n: 1 } }) });
    return { payload: r.context.payload, code: r.context.getProperty('ERROR_CODE'), message: String(r.context.getProperty('ERROR_MESSAGE') ?? '') };
  };
}

const leaf = (name: string, path: string, body = '') => `<endpoint name="${name}"><http method="GET" uri-template="${env.backend.url}${path}">${body}</http></endpoint>`;
const suspendLong = '<suspendOnFailure><initialDuration>60000</initialDuration></suspendOnFailure>';

describe('<failover>', () => {
  it('sends to the first child while it answers; when it gets no answer, the next child answers the same message, and the suspended first is skipped (nothing sent) for the next message', async () => {
    const call = flowCalling(`<endpoint><failover>${leaf('primary', '/reset', suspendLong)}${leaf('backup', '/status/201')}</failover></endpoint>`);
    const before = env.backend.hits('/reset').length;
    expect((await call()).payload).toEqual({ status: 201 });
    expect(env.backend.hits('/reset').length - before).toBe(1);
    expect((await call()).payload).toEqual({ status: 201 });
    expect(env.backend.hits('/reset').length - before).toBe(1); // primary suspended: not tried
  });

  it('a child whose <retryConfig> disables the code stops the failover with that child\'s fault', async () => {
    const call = flowCalling(`<endpoint><failover>${leaf('primary', '/reset', '<retryConfig><disabledErrorCodes>101505</disabledErrorCodes></retryConfig>')}${leaf('backup', '/status/201')}</failover></endpoint>`);
    const before = env.backend.hits('/status/201').length;
    const r = await call();
    expect(r.code).toBe('101505');
    expect(env.backend.hits('/status/201').length - before).toBe(0);
  });

  it('when every child failed, the last child\'s fault is the call\'s; when none is ready at all, 303000', async () => {
    const call = flowCalling(`<endpoint name="Both"><failover><endpoint name="a"><http method="GET" uri-template="${env.refused}/a">${suspendLong}</http></endpoint>${leaf('b', '/reset', suspendLong)}</failover></endpoint>`);
    const first = await call();
    expect(first.code).toBe('101505');
    expect(first.message).toContain("endpoint 'b'");
    const second = await call();
    expect(second.code).toBe('303000');
    expect(second.message).toContain("failover endpoint 'Both': no ready child endpoints");
  });

  it('children may be endpoint artifacts named by key; a key that names none is an error at load', async () => {
    const call = flowCalling('<endpoint><failover><endpoint key="Down"/><endpoint key="Up"/></failover></endpoint>', `<endpoint name="Down"><http method="GET" uri-template="${env.refused}/x"/></endpoint>${leaf('Up', '/status/202')}`);
    expect((await call()).payload).toEqual({ status: 202 });
    expect(() => flowCalling('<endpoint><failover><endpoint key="Nowhere"/></failover></endpoint>')).toThrow(/names no <endpoint> 'Nowhere'/);
  });
});

describe('<loadbalance>', () => {
  it('round robin over the children, one message each', async () => {
    const call = flowCalling(`<endpoint><loadbalance algorithm="org.apache.synapse.endpoints.algorithms.RoundRobin">${leaf('a', '/status/201')}${leaf('b', '/status/202')}${leaf('c', '/status/203')}</loadbalance></endpoint>`);
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await call()).payload);
    expect(got).toEqual([{ status: 201 }, { status: 202 }, { status: 203 }, { status: 201 }]);
  });

  it('a child that gets no answer is suspended and skipped; the message goes to the next child (failover="true", the default)', async () => {
    const call = flowCalling(`<endpoint><loadbalance>${leaf('a', '/status/201')}${leaf('bad', '/reset', suspendLong)}${leaf('c', '/status/203')}</loadbalance></endpoint>`);
    const before = env.backend.hits('/reset').length;
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await call()).payload);
    expect(got).toEqual([{ status: 201 }, { status: 203 }, { status: 201 }, { status: 203 }]);
    expect(env.backend.hits('/reset').length - before).toBe(1);
  });

  it('failover="false": the failed child\'s fault is the call\'s', async () => {
    const call = flowCalling(`<endpoint><loadbalance failover="false">${leaf('bad', '/reset')}${leaf('b', '/status/202')}</loadbalance></endpoint>`);
    expect((await call()).code).toBe('101505');
  });

  it('refuses at load what it does not implement, with the line', () => {
    expect(() => flowCalling(`<endpoint><loadbalance algorithm="org.apache.synapse.endpoints.algorithms.WeightedRoundRobin">${leaf('a', '/x')}</loadbalance></endpoint>`)).toThrow(/flow\.xml:2: .*load-balance algorithm 'org\.apache\.synapse\.endpoints\.algorithms\.WeightedRoundRobin' is not supported/);
    expect(() => flowCalling('<endpoint><loadbalance><member hostName="h" httpPort="80"/></loadbalance></endpoint>')).toThrow(/<member> \(dynamic load-balance members\) is not supported/);
  });
});

describe('<default> endpoint and <target to soapAction>', () => {
  it('a clone target\'s to= is where its <default/> endpoint sends, and soapAction= its SOAP action', async () => {
    const { flow } = prepareFlow(`<definitions xmlns="http://ws.apache.org/ns/synapse"><sequence name="main">
      <clone><target to="${env.backend.url}/echo" soapAction="urn:notify"><endpoint><default format="soap11"/></endpoint></target></clone></sequence></definitions>`, 'flow.xml', env.connector);
    const before = env.backend.hits('/echo').length;
    await runFlow(flow, { connector: env.connector, context: new MessageContext({ payload: { a: 1 } }) });
    const sent = env.backend.hits('/echo').slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers.soapaction).toBe('"urn:notify"');
    expect(sent[0]!.body).toContain('<a>1</a>');
  });

  it('a <default/> endpoint without a To address is a fault naming the endpoint', async () => {
    const r = await flowCalling('<endpoint name="D"><default/></endpoint>')();
    expect(r.code).toBe('101500');
    expect(r.message).toContain("endpoint 'D'");
  });
});
