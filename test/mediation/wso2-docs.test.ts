// The sequences of the WSO2 ServiceNow connector documentation, run unchanged, except: the instance URL and
// credentials come from properties (as the docs recommend for real deployments). The docs' odd
// <sysparmView>short_description,number,sys_id</sysparmView> is kept: it passes through as a view name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const postAndRead = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://ws.apache.org/ns/synapse">
  <sequence name="PostRecord" trace="disable">
    <servicenow.init>
        <serviceNowInstanceURL>{$ctx:serviceNowInstanceURL}</serviceNowInstanceURL>
        <username>{$ctx:username}</username>
        <password>{$ctx:password}</password>
    </servicenow.init>
    <servicenow.postRecord>
        <tableName>incident</tableName>
        <sysparmDisplayValue>true</sysparmDisplayValue>
        <sysparmFields>short_description,number,sys_id</sysparmFields>
        <sysparmView>short_description,number,sys_id</sysparmView>
        <sysparmInputDisplayValue>true</sysparmInputDisplayValue>
        <number>34</number>
        <shortDescription>{$ctx:shortDescription}</shortDescription>
        <active>true</active>
        <approval>owner</approval>
        <category>inquiry</category>
        <contactType>{$ctx:contactType}</contactType>
    </servicenow.postRecord>
    <property expression="json-eval($.result.sys_id)" name="sysId" scope="default" type="STRING"/>
  </sequence>
  <sequence name="ReadRecord" trace="disable">
    <servicenow.init>
        <serviceNowInstanceURL>{$ctx:serviceNowInstanceURL}</serviceNowInstanceURL>
        <username>{$ctx:username}</username>
        <password>{$ctx:password}</password>
    </servicenow.init>
    <servicenow.getRecordById>
        <sysId>{$ctx:sysId}</sysId>
        <tableName>incident</tableName>
    </servicenow.getRecordById>
  </sequence>
  <sequence name="main">
    <property expression="json-eval($.shortDescription)" name="shortDescription" scope="default" type="STRING"/>
    <property expression="json-eval($.contactType)" name="contactType" scope="default" type="STRING"/>
    <sequence key="PostRecord"/>
    <sequence key="ReadRecord"/>
    <respond/>
  </sequence>
</definitions>`;

describe('WSO2 documentation sequences', () => {
  it('postRecord then getRecordById with {$ctx:...} and {json-eval(...)} values', async () => {
    const res = await h.run(postAndRead, {
      properties: { serviceNowInstanceURL: h.sim.url, username: 'admin', password: 'admin' },
      payload: { shortDescription: 'Incident type: L2 "quoted"', contactType: 'email' },
    });
    expect(res.error).toBeUndefined();
    expect(res.outcome).toBe('responded');
    const record = (res.context.payload as { result: Record<string, unknown> }).result;
    expect(record.short_description).toBe('Incident type: L2 "quoted"');
    expect(record.number).toBe('34');
    expect(record.category).toBe('inquiry');
    expect(record.contact_type).toBe('email');
    const sysId = res.context.getProperty('sysId') as string;
    expect(sysId).toMatch(/^[0-9a-f]{32}$/);
    expect(record.sys_id).toBe(sysId);
    expect(h.sim.db.get('incident', sysId)?.short_description).toBe('Incident type: L2 "quoted"');
  });

  it('getRecords with the optional parameters written as {$ctx:...} and left unset', async () => {
    const xml = `<sequence name="main" xmlns="http://ws.apache.org/ns/synapse">
      <servicenow.init>
        <serviceNowInstanceURL>{$ctx:serviceNowInstanceURL}</serviceNowInstanceURL>
        <username>{$ctx:username}</username>
        <password>{$ctx:password}</password>
      </servicenow.init>
      <servicenow.getRecords>
        <tableName>{$ctx:tableName}</tableName>
        <sysparmQuery>{$ctx:sysparmQuery}</sysparmQuery>
        <sysparmDisplayValue>{$ctx:sysparmDisplayValue}</sysparmDisplayValue>
        <sysparmFields>{$ctx:sysparmFields}</sysparmFields>
        <sysparmView>{$ctx:sysparmView}</sysparmView>
        <sysparmLimit>{$ctx:sysparmLimit}</sysparmLimit>
        <sysparmExcludeReferenceLink>{$ctx:sysparmExcludeReferenceLink}</sysparmExcludeReferenceLink>
      </servicenow.getRecords>
    </sequence>`;
    const res = await h.run(xml, {
      properties: {
        serviceNowInstanceURL: h.sim.url,
        username: 'admin',
        password: 'admin',
        tableName: 'incident',
        sysparmQuery: 'active=true^priority=1',
        sysparmLimit: '3',
        sysparmFields: 'number,priority,active',
      },
    });
    expect(res.error).toBeUndefined();
    const rows = (res.context.payload as { result: Record<string, string>[] }).result;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(3);
    for (const r of rows) {
      expect(r.priority).toBe('1');
      expect(r.active).toBe('true');
      expect(Object.keys(r).sort()).toEqual(['active', 'number', 'priority']);
    }
    expect(rows.length).toBe(Math.min(3, h.sim.db.count('incident', 'active=true^priority=1')));
  });
});
