// <call> <source>/<target> beyond the MI docs' three XML examples (test/serve/wso2-mi-docs): a JSON source, the
// answer as the payload when only a source is given, and what is refused at load.
import { describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { prepareFlow, runFlow } from '../../src/mediation/index.js';
import { useBackendForFlows } from '../support/endpoint-harness.js';

const env = useBackendForFlows();

function flowWithCall(inner: string) {
  const { flow } = prepareFlow(`<definitions xmlns="http://ws.apache.org/ns/synapse">
    <sequence name="main"><call><endpoint><address uri="${env.backend.url}/echo"/></endpoint>${inner}</call></sequence></definitions>`, 'flow.xml', env.connector);
  return async (payload: Record<string, unknown>) => (await runFlow(flow, { connector: env.connector, context: new MessageContext({ payload }) })).context;
}

describe('<call> with <source> and <target>', () => {
  it('sends a json-eval result as JSON and keeps the answer in a property, the payload unchanged', async () => {
    const run = flowWithCall('<source contentType="application/json" type="custom">json-eval($.order)</source><target type="property">ANSWER</target>');
    const ctx = await run({ order: { id: 7 }, other: true });
    expect(JSON.parse(env.backend.hits('/echo').at(-1)!.body)).toEqual({ id: 7 });
    expect(ctx.getProperty('ANSWER')).toEqual({ id: 7 });
    expect(ctx.payload).toEqual({ order: { id: 7 }, other: true });
  });

  it('without a target the answer becomes the payload', async () => {
    const run = flowWithCall('<source type="inline">{"ping": 1}</source>');
    const ctx = await run({ order: 1 });
    expect(JSON.parse(env.backend.hits('/echo').at(-1)!.body)).toEqual({ ping: 1 });
    expect(ctx.payload).toEqual({ ping: 1 });
  });

  it('refuses an unknown source or target type, a property source without its name, and a source on <send>, with file and line', () => {
    expect(() => flowWithCall('<source type="envelope"/>')).toThrow(/flow\.xml:2: <call> <source type="envelope"> is not one of custom, inline, property/);
    expect(() => flowWithCall('<source type="property"/>')).toThrow(/flow\.xml:2: <call> <source type="property"> needs the name of the property/);
    expect(() => flowWithCall('<target type="variable">x</target>')).toThrow(/flow\.xml:2: <call> <target type="variable"> is not one of property, body/);
    expect(() =>
      prepareFlow(`<definitions xmlns="http://ws.apache.org/ns/synapse"><sequence name="main"><send><endpoint><address uri="${env.backend.url}/echo"/></endpoint><source type="inline">x</source></send></sequence></definitions>`, 'flow.xml', env.connector),
    ).toThrow(/<send> takes one <endpoint>/);
  });
});
