// Fault sequences: onError runs with ERROR_CODE/ERROR_MESSAGE/ERROR_DETAIL set, innermost handler wins,
// and the flow ends in a fault. And WSO2's status semantics: by default a ServiceNow 4xx/5xx is a response
// (HTTP_SC + the error body) and the flow goes on; faultOnErrorStatus="true" on a call asks for a fault instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT, startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const flow = (mainBody: string, extra = '') => `<definitions xmlns="http://ws.apache.org/ns/synapse">
  <sequence name="main" onError="fault">
    ${INIT}
    ${mainBody}
    <property name="after" value="ran"/>
  </sequence>
  <sequence name="fault">
    <property name="handledBy" value="fault"/>
    <payloadFactory media-type="json">
      <format>{"error": {"code": "$1", "message": "$2", "detail": "$3"}}</format>
      <args>
        <arg expression="get-property('ERROR_CODE')"/>
        <arg expression="get-property('ERROR_MESSAGE')"/>
        <arg expression="$ctx:ERROR_DETAIL"/>
      </args>
    </payloadFactory>
    <respond/>
  </sequence>
  ${extra}
</definitions>`;

describe('fault sequences', () => {
  it('with faultOnErrorStatus="true", a ServiceNow 404 runs onError with the error properties, and the flow ends in a fault', async () => {
    const res = await h.run(
      flow(`<servicenow.getRecordById faultOnErrorStatus="true"><tableName>incident</tableName><sysId>0123456789abcdef0123456789abcdef</sysId></servicenow.getRecordById>`),
    );
    expect(res.outcome).toBe('fault');
    expect(res.error?.code).toBe('NOT_FOUND');
    expect(res.context.getProperty('handledBy')).toBe('fault');
    expect(res.context.getProperty('after')).toBeUndefined();
    const body = res.context.payload as { error: { code: string; message: string; detail: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toBe(res.error?.message);
    expect(res.context.getProperty('ERROR_CODE')).toBe('NOT_FOUND');
  });

  it('bad parameter values fail before any request leaves', async () => {
    h.sim.clearRequests();
    const res = await h.run(flow(`<servicenow.getRecords><tableName>../sys_user</tableName></servicenow.getRecords>`));
    expect(res.outcome).toBe('fault');
    expect(res.error?.code).toBe('INVALID_PARAMETER');
    expect(res.context.getProperty('ERROR_MESSAGE')).toMatch(/tableName/);
    expect(h.sim.requests()).toHaveLength(0);
  });

  it('the innermost onError handles a fault in a nested sequence; outer sequences stop', async () => {
    const res = await h.run(
      flow(
        `<sequence key="child"/>`,
        `<sequence name="child" onError="childFault">
           <property name="n" value="x" type="INTEGER"/>
         </sequence>
         <sequence name="childFault">
           <property name="handledBy" value="childFault"/>
           <property name="seen" expression="$ctx:ERROR_MESSAGE"/>
         </sequence>`,
      ),
    );
    expect(res.outcome).toBe('fault');
    expect(res.context.getProperty('handledBy')).toBe('childFault');
    expect(res.context.getProperty('seen')).toMatch(/cannot convert "x" to INTEGER/);
    expect(res.context.getProperty('after')).toBeUndefined();
  });

  it('a fault without onError ends the flow with the error properties set', async () => {
    const res = await h.run(`<sequence name="main" xmlns="http://ws.apache.org/ns/synapse">
      <servicenow.init>
        <serviceNowInstanceURL>{$ctx:instanceURL}</serviceNowInstanceURL>
        <username>admin</username>
        <password>wrong-secret</password>
      </servicenow.init>
      <servicenow.getRecords><tableName>incident</tableName><faultOnErrorStatus>true</faultOnErrorStatus></servicenow.getRecords>
    </sequence>`);
    expect(res.outcome).toBe('fault');
    expect(res.error?.code).toBe('AUTH_FAILED');
    expect(res.context.getProperty('ERROR_CODE')).toBe('AUTH_FAILED');
    expect(JSON.stringify(res.error?.toJSON())).not.toContain('wrong-secret');
    expect(JSON.stringify([...res.context.properties()])).not.toContain('wrong-secret');
  });

  it('a fault inside the fault sequence is reported instead of the first', async () => {
    const res = await h.run(`<definitions xmlns="http://ws.apache.org/ns/synapse">
      <sequence name="main" onError="broken"><property name="a" value="x" type="INTEGER"/></sequence>
      <sequence name="broken"><property name="b" value="y" type="DOUBLE"/></sequence>
    </definitions>`);
    expect(res.outcome).toBe('fault');
    expect(res.error?.message).toMatch(/cannot convert "y" to DOUBLE/);
  });
});

describe('WSO2 status semantics (the default)', () => {
  const branching = (call: string) => `<definitions xmlns="http://ws.apache.org/ns/synapse">
  <sequence name="main" onError="fault">
    ${INIT}
    ${call}
    <filter source="$axis2:HTTP_SC" regex="2..">
      <then><property name="branch" value="ok"/></then>
      <else>
        <property name="branch" value="error"/>
        <property name="snMessage" expression="json-eval($.error.message)"/>
      </else>
    </filter>
    <property name="after" value="ran"/>
  </sequence>
  <sequence name="fault"><property name="handledBy" value="fault"/></sequence>
</definitions>`;

  it('a 404 sets HTTP_SC, leaves ServiceNow error envelope as the payload, and the flow takes the error branch', async () => {
    const res = await h.run(branching(`<servicenow.getRecordById><tableName>incident</tableName><sysId>0123456789abcdef0123456789abcdef</sysId></servicenow.getRecordById>`));
    expect(res.outcome).toBe('completed');
    expect(res.context.getProperty('HTTP_SC', 'axis2')).toBe(404);
    expect(res.context.getProperty('branch')).toBe('error');
    expect(res.context.getProperty('after')).toBe('ran');
    expect(res.context.getProperty('handledBy')).toBeUndefined();
    expect(res.context.getProperty('ERROR_CODE')).toBeUndefined();
    const body = res.context.payload as { error: { message: string }; status: string };
    expect(body.status).toBe('failure');
    expect(res.context.getProperty('snMessage')).toBe(body.error.message);
  });

  it('a 2xx takes the success branch', async () => {
    const res = await h.run(branching(`<servicenow.getRecords><tableName>incident</tableName><sysparmLimit>1</sysparmLimit></servicenow.getRecords>`));
    expect(res.context.getProperty('HTTP_SC', 'axis2')).toBe(200);
    expect(res.context.getProperty('branch')).toBe('ok');
  });

  it('with a responseVariable the error answer goes into the variable and the payload stays', async () => {
    const res = await h.run(
      branching(`<servicenow.getRecordById><tableName>incident</tableName><sysId>0123456789abcdef0123456789abcdef</sysId><responseVariable>found</responseVariable></servicenow.getRecordById>`),
      { payload: { keep: true } },
    );
    expect(res.context.payload).toEqual({ keep: true });
    const found = res.context.variables.get('found') as { payload: { error: { message: string } }; attributes: { statusCode: number } };
    expect(found.attributes.statusCode).toBe(404);
    expect(found.payload.error.message).toBeTruthy();
    expect(res.context.getProperty('branch')).toBe('error');
  });

  it('bad input is still a fault, before any request is sent', async () => {
    h.sim.clearRequests();
    const res = await h.run(branching(`<servicenow.getRecords><tableName>../x</tableName></servicenow.getRecords>`));
    expect(res.outcome).toBe('fault');
    expect(res.context.getProperty('handledBy')).toBe('fault');
    expect(h.sim.requests()).toHaveLength(0);
  });
});
