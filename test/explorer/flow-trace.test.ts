// The explorer's flow run view: the engine's trace hook reports every mediator, the connector calls with their
// statuses, the properties set, the payload before/after and the fault path, against the real simulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { traceFlow } from '../../src/explorer/flow-trace.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';
import { prepareFlow } from '../../src/mediation/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

let sim: RunningSimulator;
let connector: Connector;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, users: [{ userName: 'tracer', password: 'admin-secret-xyz' }] });
  connector = await loadConnector();
});
afterAll(() => sim.close());

const FLOW = readFileSync(join(import.meta.dirname, 'incident-check.xml'), 'utf8');

describe('traceFlow', () => {
  it('shows each mediator with its time, properties, payloads, connector calls and the fault path', async () => {
    const { flow } = prepareFlow(FLOW, 'trace.xml', connector);
    const context = new MessageContext({ properties: { serviceNowInstanceURL: sim.url, username: 'tracer', password: 'admin-secret-xyz' }, payload: { start: 1 } });
    const trace = await traceFlow(flow, { connector, context });

    expect(trace.outcome).toBe('fault');
    expect(trace.error?.code).toBe('NOT_FOUND');
    const labels = trace.steps.map((s) => s.label);
    expect(labels).toEqual([
      'servicenow.init',
      'servicenow.getRecords',
      'property firstNumber',
      'filter',
      'property seen',
      'servicenow.getRecordById',
      'payloadFactory',
    ]);
    const [, list, prop, filter, nested, byId, fault] = trace.steps;
    expect(list!.call).toEqual({ operation: 'getRecords', status: 200 });
    expect(list!.payloadBefore).toEqual({ start: 1 });
    expect((list!.payloadAfter as { result: unknown[] }).result).toHaveLength(2);
    expect(prop!.propertiesSet['firstNumber']).toMatch(/^INC/);
    expect(nested!.depth).toBe(filter!.depth + 1);
    expect(byId!.outcome).toBe('error');
    expect(byId!.call).toMatchObject({ operation: 'getRecordById', status: 404, error: { code: 'NOT_FOUND' } });
    expect(fault!.inFaultPath).toBe(true);
    expect(byId!.inFaultPath).toBe(false);
    expect(fault!.payloadAfter).toEqual({ failed: 'NOT_FOUND' });
    expect(trace.faults).toEqual([{ sequence: 'main', faultSequence: 'failed', error: expect.objectContaining({ code: 'NOT_FOUND' }), atStep: 6 }]);
    for (const s of trace.steps) expect(s.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(trace)).not.toContain('admin-secret-xyz');
  });
});
