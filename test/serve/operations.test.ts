// A served flow's life over real HTTP: WSO2 status semantics end to end, unexpected failures (500 + correlation
// id, no secret, the server keeps serving), client disconnect aborting ServiceNow calls, graceful shutdown with a
// flow in flight, tasks (interval/count, no overlapping runs), and /health, /ready, /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMediator } from '../../src/mediation/index.js';
import { call, startServeHarness, xml, type ServeHarness } from './support.js';

let h: ServeHarness;
beforeAll(async () => {
  h = await startServeHarness();
  registerMediator('test.boom', () => ({
    run() {
      throw new TypeError('password=secret-token-123 broke');
    },
  }));
});
afterAll(() => h.close());

/** Waits for a condition the server reaches on its own (polled, no fixed sleep). */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const INIT = `<servicenow.init><serviceNowInstanceURL>{{SIM}}</serviceNowInstanceURL><username>admin</username><password>admin</password></servicenow.init>`;

const api = xml(`<api name="Incidents" context="/incidents" xmlns="http://ws.apache.org/ns/synapse">
  <resource methods="GET" uri-template="/{sysId}">
    <inSequence>
      ${INIT}
      <servicenow.getRecordById><tableName>incident</tableName><sysId>{$ctx:uri.var.sysId}</sysId></servicenow.getRecordById>
      <filter source="$axis2:HTTP_SC" regex="2..">
        <then><respond/></then>
        <else>
          <payloadFactory media-type="json">
            <format>{"error": "incident not found", "servicenow": "$1"}</format>
            <args><arg expression="json-eval($.error.message)"/></args>
          </payloadFactory>
          <respond/>
        </else>
      </filter>
    </inSequence>
  </resource>
  <resource methods="GET" uri-template="/list/slow">
    <inSequence>
      ${INIT}
      <servicenow.getRecords><tableName>incident</tableName><sysparmLimit>1</sysparmLimit></servicenow.getRecords>
      <respond/>
    </inSequence>
  </resource>
  <resource methods="GET" uri-template="/fail/boom"><inSequence><test.boom/><respond/></inSequence></resource>
</api>`);

describe('serving flows', () => {
  it('a flow that branches on HTTP_SC after a ServiceNow 404 takes the error branch and answers the client', async () => {
    const server = await h.serve([{ file: 'incidents.xml', text: api }]);
    const missing = await call(`${server.url}/incidents/0123456789abcdef0123456789abcdef`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'incident not found', servicenow: expect.stringMatching(/./) });
    const id = h.sim.db.list('incident', 'active=true')[0]!.sys_id as string;
    const found = await call(`${server.url}/incidents/${id}`);
    expect(found.status).toBe(200);
    expect(found.json.result.sys_id).toBe(id);

    const metrics = (await call(`${server.url}/metrics`)).text;
    expect(metrics).toContain('snconnect_servicenow_calls_total{operation="getRecordById",status="404"} 1');
    expect(metrics).toContain('snconnect_servicenow_calls_total{operation="getRecordById",status="200"} 1');
    expect(metrics).toContain('snconnect_http_requests_total{api="Incidents",resource="GET /{sysId}",method="GET",status="404"} 1');
    expect(metrics).toMatch(/snconnect_flow_duration_seconds_count\{api="Incidents",resource="GET \/\{sysId\}"\} 2/);
    expect(metrics).toContain('snconnect_flows_in_flight 0');
    expect(metrics).toContain('snconnect_servicenow_retries_total 0');
    expect(await call(`${server.url}/health`)).toMatchObject({ status: 200, json: { status: 'UP' } });
    expect(await call(`${server.url}/ready`)).toMatchObject({ status: 200, json: { ready: true, apis: 1 } });
  });

  it('an unexpected failure answers 500 with a correlation id (logged), no stack and no secret; the server keeps serving', async () => {
    const lines: string[] = [];
    const server = await h.serve([{ file: 'incidents.xml', text: api }], { accessLog: (l) => lines.push(l) });
    const res = await call(`${server.url}/incidents/fail/boom`);
    expect(res.status).toBe(500);
    expect(res.json.error.code).toBe('INTERNAL_ERROR');
    const id = res.json.error.correlationId as string;
    expect(res.text).not.toMatch(/secret-token-123|TypeError|at /);
    expect(server.logs.some((l) => l.message.includes(id) && !l.message.includes('secret-token-123'))).toBe(true);
    expect(lines.some((l) => l.includes('GET /incidents/fail/boom 500') && l.includes(`id=${id}`))).toBe(true);
    expect((await call(`${server.url}/health`)).status).toBe(200);
  });

  it("a client that disconnects aborts its flow's outstanding ServiceNow call", async () => {
    const lines: string[] = [];
    const server = await h.serve([{ file: 'incidents.xml', text: api }], { accessLog: (l) => lines.push(l) });
    h.sim.configure({ latency: { fixedMs: 5000 } });
    try {
      const client = new AbortController();
      const pending = fetch(`${server.url}/incidents/list/slow`, { signal: client.signal }).catch((err: Error) => err);
      await until(async () => (await server.metrics.inFlight.get()).values[0]?.value === 1, 'the flow to start');
      client.abort();
      expect(await pending).toBeInstanceOf(Error);
      await until(() => lines.some((l) => l.includes('/incidents/list/slow 499')), 'the flow to end');
      const metrics = (await call(`${server.url}/metrics`)).text;
      expect(metrics).toContain('snconnect_servicenow_calls_total{operation="getRecords",status="CONNECTION_ERROR"} 1');
    } finally {
      h.sim.configure({ latency: { fixedMs: 0 } });
    }
  });

  it('graceful shutdown: stops accepting, lets the running flow finish and answer, then closes', async () => {
    const server = await h.serve([{ file: 'incidents.xml', text: api }]);
    const url = server.url;
    h.sim.configure({ latency: { fixedMs: 300 } });
    try {
      const pending = call(`${url}/incidents/list/slow`);
      await until(async () => (await server.metrics.inFlight.get()).values[0]?.value === 1, 'the flow to start');
      const closed = server.close();
      expect(server.ready).toBe(false);
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.json.result).toHaveLength(1);
      await closed;
      await expect(fetch(`${url}/health`)).rejects.toThrow();
    } finally {
      h.sim.configure({ latency: { fixedMs: 0 } });
    }
  });
});

describe('tasks', () => {
  it('interval with count: injects the message into the sequence that many times', async () => {
    const server = await h.serve([
      {
        file: 'task.xml',
        text: xml(`<definitions xmlns="http://ws.apache.org/ns/synapse">
  <sequence name="tick"><log level="custom"><message>tick \${payload.n}</message></log></sequence>
  <task name="Ticker" class="org.apache.synapse.startup.tasks.MessageInjector" group="synapse.simple.quartz">
    <trigger interval="0.02" count="3"/>
    <property xmlns:task="http://www.wso2.org/products/wso2commons/tasks" name="injectTo" value="sequence"/>
    <property xmlns:task="http://www.wso2.org/products/wso2commons/tasks" name="sequenceName" value="tick"/>
    <property xmlns:task="http://www.wso2.org/products/wso2commons/tasks" name="message" value='{"n": 7}'/>
  </task>
</definitions>`),
      },
    ]);
    const runs = async () => (await server.metrics.taskRuns.get()).values.find((v) => v.labels.outcome === 'completed')?.value ?? 0;
    await until(async () => (await runs()) === 3, 'three runs');
    await server.close();
    expect(await runs()).toBe(3);
    expect(server.logs.filter((l) => l.message === 'tick 7')).toHaveLength(3);
  });

  it('a run still going when the next is due is not started twice', async () => {
    h.sim.configure({ latency: { fixedMs: 150 } });
    try {
      const server = await h.serve([
        {
          file: 'task.xml',
          text: xml(`<definitions xmlns="http://ws.apache.org/ns/synapse">
  <sequence name="poll">${INIT}<servicenow.getRecords><tableName>problem</tableName><sysparmLimit>1</sysparmLimit></servicenow.getRecords></sequence>
  <task name="Poller"><trigger interval="0.02"/><property name="sequenceName" value="poll"/></task>
</definitions>`),
        },
      ]);
      h.sim.clearRequests();
      const outcome = async (o: string) => (await server.metrics.taskRuns.get()).values.find((v) => v.labels.outcome === o)?.value ?? 0;
      await until(async () => (await outcome('completed')) >= 2 && (await outcome('skipped')) >= 2, 'two runs and two skipped ticks');
      await server.close();
      const polls = h.sim.requests().filter((r) => r.path === '/api/now/table/problem').length;
      expect(polls).toBe((await outcome('completed')) + (await outcome('fault')));
    } finally {
      h.sim.configure({ latency: { fixedMs: 0 } });
    }
  });
});
