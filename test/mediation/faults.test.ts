// Fault sequences: onError runs with ERROR_CODE/ERROR_MESSAGE/ERROR_DETAIL set, innermost handler wins,
// and the flow ends in a fault.
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
  it('a ServiceNow 404 runs onError with the error properties, and the flow ends in a fault', async () => {
    const res = await h.run(
      flow(`<servicenow.getRecordById><tableName>incident</tableName><sysId>0123456789abcdef0123456789abcdef</sysId></servicenow.getRecordById>`),
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
      <servicenow.getRecords><tableName>incident</tableName></servicenow.getRecords>
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
