// Templated values (<query template>, <header template>, steps' <with template>) and the encoded-query rule:
// a parameter value placed inside an encoded query cannot add conditions, OR groups, new queries or ordering.
// The example: getUserByName built as user_name={{userName}} must not return every user for
// userName=nobody^ORuser_nameISNOTEMPTY. Everything runs over HTTP against the simulator.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';
import { copyCatalogue } from './temp-catalogue.js';
import { rowsOf, useSimulator } from '../invoke/support.js';

const temp = copyCatalogue();
temp.edit(
  'connector.xml',
  '</connector>',
  `  <operation name="getUserByName" template="operations/getUserByName.xml"/>
  <operation name="findUserByName" template="operations/findUserByName.xml"/>
  <operation name="activeUsersWhere" template="operations/activeUsersWhere.xml"/>
  <operation name="tracedLookup" template="operations/tracedLookup.xml"/>
</connector>`,
);
temp.write(
  'operations/getUserByName.xml',
  `<template name="getUserByName">
  <parameter name="userName" required="true" description="User ID, e.g. abel.tuter."/>
  <call method="GET" path="/api/now/table/sys_user">
    <query name="sysparm_query" template="user_name={{userName}}"/>
    <query name="sysparm_fields" value="user_name"/>
  </call>
  <response require="result"/>
</template>
`,
);
// The same lookup as the issue found it: a <steps> wrapper around getRecords.
temp.write(
  'operations/findUserByName.xml',
  `<template name="findUserByName">
  <parameter name="userName" required="true"/>
  <steps>
    <step name="users" operation="getRecords">
      <with name="tableName" value="sys_user"/>
      <with name="sysparmQuery" template="user_name={{userName}}"/>
      <with name="sysparmFields" value="user_name"/>
    </step>
  </steps>
</template>
`,
);
// A whole query given by the caller (type encodedQuery) next to a fixed condition.
temp.write(
  'operations/activeUsersWhere.xml',
  `<template name="activeUsersWhere">
  <parameter name="where" type="encodedQuery" required="true"/>
  <call method="GET" path="/api/now/table/sys_user">
    <query name="sysparm_query" template="active=true^{{where}}"/>
    <query name="sysparm_fields" value="user_name"/>
  </call>
  <response require="result"/>
</template>
`,
);
temp.write(
  'operations/tracedLookup.xml',
  `<template name="tracedLookup">
  <parameter name="sysId" required="true" pattern="^[0-9a-f]{32}$"/>
  <parameter name="flow" required="true"/>
  <call method="GET" path="/api/now/table/sys_user/{sysId}">
    <header name="X-Trace" template="flow={{flow}}; id={{sysId}}"/>
  </call>
  <response require="result"/>
</template>
`,
);

const h = useSimulator({ dir: temp.dir });
afterAll(() => temp.remove());
beforeEach(() => h.sim.clearRequests());

const INJECTIONS = ['nobody^ORuser_nameISNOTEMPTY', 'nobody^NQuser_nameISNOTEMPTY', 'nobody\nuser_nameISNOTEMPTY', 'nobody^ORDERBYuser_name', 'ORDERBYDESCuser_name', 'javascript:gs.getUserName()'];

describe('<query template>', () => {
  it('builds the value around the parameter and finds the one user', async () => {
    const res = await h.conn.invoke('getUserByName', { userName: 'abel.tuter' });
    expect(rowsOf(res.payload)).toEqual([{ user_name: 'abel.tuter' }]);
    expect(h.apiRequests()[0]!.query).toMatchObject({ sysparm_query: 'user_name=abel.tuter' });
  });

  it.each(INJECTIONS)('refuses %j before sending, naming operation and parameter', async (userName) => {
    for (const operation of ['getUserByName', 'findUserByName']) {
      const err = await h.conn.invoke(operation, { userName }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INVALID_PARAMETER', operation, parameter: 'userName' });
      expect((err as Error).message).toMatch(new RegExp(`^${operation}: parameter 'userName' is placed inside an encoded query and `));
    }
    expect(h.apiRequests()).toEqual([]);
  });

  it('the injection does not reach the simulator, where it would have matched every user', async () => {
    // What the unguarded template would have sent, sent by hand through getRecords' whole-query parameter.
    const all = await h.conn.invoke('getRecords', { tableName: 'sys_user', sysparmQuery: 'user_name=nobody^ORuser_nameISNOTEMPTY', sysparmFields: 'user_name' });
    expect(rowsOf(all.payload).length).toBe(h.sim.db.count('sys_user'));
    const none = await h.conn.invoke('getUserByName', { userName: 'nobody' });
    expect(rowsOf(none.payload)).toEqual([]);
  });

  it('a parameter of type encodedQuery keeps its syntax, and gets the query checks instead', async () => {
    const res = await h.conn.invoke('activeUsersWhere', { where: 'user_name=abel.tuter^ORuser_name=beth.anglin^ORDERBYuser_name' });
    expect(rowsOf(res.payload)).toEqual([{ user_name: 'abel.tuter' }, { user_name: 'beth.anglin' }]);
    const err = await h.conn.invoke('activeUsersWhere', { where: 'user_name=abel.tuter\nuser_nameISNOTEMPTY' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', operation: 'activeUsersWhere', parameter: 'where' });
    const whole = await h.conn.invoke('getRecords', { tableName: 'sys_user', sysparmQuery: 'active=true\n' }).catch((e: unknown) => e);
    expect(whole).toMatchObject({ code: 'INVALID_PARAMETER', operation: 'getRecords', parameter: 'sysparmQuery' });
    expect(h.apiRequests()).toHaveLength(1);
  });
});

describe('<header template>', () => {
  it('renders the header and refuses a line break in a value', async () => {
    const id = h.sim.db.list('sys_user', 'user_name=admin')[0]!['sys_id'];
    await h.conn.invoke('tracedLookup', { sysId: id, flow: 'nightly sync' });
    expect(h.apiRequests()[0]!.headers['x-trace']).toBe(`flow=nightly sync; id=${id}`);
    const err = await h.conn.invoke('tracedLookup', { sysId: id, flow: 'x\r\nAuthorization: Basic Zm9vOmJhcg==' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', operation: 'tracedLookup', parameter: 'flow' });
    expect(h.apiRequests()).toHaveLength(1);
  });
});

describe('checked at load', () => {
  it.each([
    ['user_name={{nobody}}', /reads 'nobody', which is not a parameter of getUserByName/],
    ['user_name={{userName', /unbalanced \{\{ or \}\}/],
    ['user_name={{join userName}}', /must name one parameter/],
  ])('%s is a DESCRIPTOR_ERROR with file and line', async (template, message) => {
    const bad = copyCatalogue();
    try {
      bad.write('operations/getUserByName.xml', temp.read('operations/getUserByName.xml'));
      bad.edit('connector.xml', '</connector>', '  <operation name="getUserByName" template="operations/getUserByName.xml"/>\n</connector>');
      bad.edit('operations/getUserByName.xml', 'user_name={{userName}}', template);
      const err = await loadCatalogue(bad.dir, { snapshot: false }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DESCRIPTOR_ERROR' });
      expect((err as Error).message).toMatch(/^operations\/getUserByName\.xml:4: /);
      expect((err as Error).message).toMatch(message);
    } finally {
      bad.remove();
    }
  });
});
