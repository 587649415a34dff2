// A contributor adds an operation as files only (an operations/*.xml, a template, a line in connector.xml)
// and the unchanged runtime invokes it.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import { copyCatalogue } from '../catalogue/temp-catalogue.js';
import { resultOf, rowsOf, useSimulator, type Row } from './support.js';

const temp = copyCatalogue();
temp.edit(
  'connector.xml',
  '</connector>',
  `  <operation name="findUsers" template="operations/findUsers.xml"/>
  <operation name="raiseIncident" template="operations/raiseIncident.xml"/>
  <operation name="echoPath" template="operations/echoPath.xml"/>
  <operation name="pasteBody" template="operations/pasteBody.xml"/>
</connector>`,
);
temp.write(
  'operations/findUsers.xml',
  `<?xml version="1.0" encoding="UTF-8"?>
<template name="findUsers">
  <description>Active users whose name starts with a prefix.</description>
  <parameter name="namePrefix" required="true" description="Start of the user's full name."/>
  <parameter name="max" type="integer" default="3" minimum="1" description="Maximum users."/>
  <call method="GET" path="/api/now/table/sys_user">
    <query name="sysparm_query" join="^">
      <part from="namePrefix"/>
    </query>
    <query name="sysparm_fields" value="user_name,name"/>
    <query name="sysparm_limit" from="max"/>
    <header name="Accept" value="application/json"/>
  </call>
  <response require="result"/>
</template>
`,
);
temp.write(
  'operations/raiseIncident.xml',
  `<?xml version="1.0" encoding="UTF-8"?>
<template name="raiseIncident">
  <description>Creates an incident from a title and an urgency.</description>
  <parameter name="title" required="true"/>
  <parameter name="urgency" type="integer" enum="1 2 3" default="3"/>
  <parameter name="tags" type="json" shape="array"/>
  <call method="POST" path="/api/now/table/incident">
    <header name="Content-Type" value="application/json"/>
    <body template="raise-incident.json.hbs"/>
  </call>
</template>
`,
);
temp.write(
  'templates/raise-incident.json.hbs',
  `{
  "short_description": {{json title}},
  "urgency": {{json urgency}},
  "description": {{json (merge (object source="snconnect" tags=tags))}}
}
`,
);
temp.write(
  'operations/echoPath.xml',
  `<?xml version="1.0" encoding="UTF-8"?>
<template name="echoPath">
  <parameter name="table" required="true" pattern="^[a-z_]+$"/>
  <parameter name="key" required="true"/>
  <call method="GET" path="/api/now/table/{table}/{key}"/>
</template>
`,
);

// A template bug: the value is pasted as text instead of through {{json}}; it must fail as a descriptor error.
temp.write(
  'operations/pasteBody.xml',
  `<template name="pasteBody">
  <parameter name="title" required="true"/>
  <call method="POST" path="/api/now/table/incident"><body template="paste.json.hbs"/></call>
</template>
`,
);
temp.write('templates/paste.json.hbs', '{"short_description": "{{title}}"}\n');

const h = useSimulator({ dir: temp.dir });
afterAll(() => temp.remove());
beforeEach(() => h.sim.clearRequests());

describe('an operation added as files only', () => {
  it('is listed and described', () => {
    expect(h.connector.operations().map((o) => o.name)).toEqual(expect.arrayContaining(['getRecords', 'findUsers', 'raiseIncident']));
    expect(h.connector.describe('findUsers')).toMatchObject({ call: 'GET /api/now/table/sys_user', parameters: [{ name: 'namePrefix', required: true }, { name: 'max', type: 'integer', default: '3' }] });
  });

  it('is invoked with its literal query, defaults and coerced values', async () => {
    const res = await h.conn.invoke('findUsers', { namePrefix: 'nameSTARTSWITHS' });
    expect(h.apiRequests()[0]!.query).toEqual({ sysparm_query: 'nameSTARTSWITHS', sysparm_fields: 'user_name,name', sysparm_limit: '3' });
    const rows = rowsOf(res.payload);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(String(row['name'])).toMatch(/^S/);
  });

  it('renders its own Handlebars body as JSON, whatever the values hold', async () => {
    const title = 'He said "stop" } ], {{x}} \\n';
    const res = await h.conn.invoke('raiseIncident', { title, urgency: '2', tags: '["a","b\\"c"]' });
    expect(res.status).toBe(201);
    const sent = JSON.parse(h.apiRequests()[0]!.body) as Row;
    expect(sent).toEqual({ short_description: title, urgency: 2, description: { source: 'snconnect', tags: ['a', 'b"c'] } });
    expect(resultOf(res.payload)).toMatchObject({ short_description: title, urgency: '2' });
  });

  it('validates against its own declarations before sending', async () => {
    const err = await h.conn.invoke('raiseIncident', { title: 'x', urgency: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).message).toBe(`raiseIncident: parameter 'urgency' must be one of 1, 2, 3 (got 5)`);
    expect(h.apiRequests()).toEqual([]);
  });

  it('percent-encodes each path segment, so a value cannot add segments or a query', async () => {
    const req = h.conn.prepare('echoPath', { table: 'incident', key: 'a/../b c?x=1#f%' });
    expect(req.path).toBe('/api/now/table/incident/a%2F..%2Fb%20c%3Fx%3D1%23f%25');
    await h.conn.invoke('echoPath', { table: 'incident', key: 'a/../b c?x=1' }).catch(() => undefined);
    const seen = h.apiRequests()[0]!;
    expect(seen.query).toEqual({});
    expect(seen.route).toBe('GET /api/now/table/{table}/{sys_id}');
  });

  it('a template that renders invalid JSON is a DESCRIPTOR_ERROR and nothing is sent', async () => {
    const ok = h.conn.prepare('pasteBody', { title: 'plain' });
    expect(JSON.parse(ok.body as string)).toEqual({ short_description: 'plain' });
    const err = await h.conn.invoke('pasteBody', { title: 'say "hi"' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DESCRIPTOR_ERROR', operation: 'pasteBody' });
    expect((err as Error).message).toMatch(/^templates\/paste\.json\.hbs: the body rendered for pasteBody is not valid JSON/);
    expect(h.apiRequests()).toEqual([]);
  });
});

describe('JSON values that look like object internals', () => {
  it('a "__proto__" member of a payload is sent as a plain member', async () => {
    const req = h.conn.prepare('raiseIncident', { title: 'x', tags: '[]' });
    expect(JSON.parse(req.body as string)).toMatchObject({ short_description: 'x' });
    const conn = h.conn;
    const post = conn.prepare('postRecord', { tableName: 'incident', payload: '{"__proto__":{"polluted":"yes"},"short_description":"p"}' });
    expect(JSON.parse(post.body as string)).toEqual({ short_description: 'p', ['__proto__']: { polluted: 'yes' } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
