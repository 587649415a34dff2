// Every mediator, run by the real engine (connector calls go to the simulator over HTTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT, seq, startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('property', () => {
  it('sets values with types, scopes, expressions, and removes them', async () => {
    const res = await h.run(
      seq(`
      <property name="s" value="42"/>
      <property name="i" value="42" type="INTEGER"/>
      <property name="b" value="TRUE" type="BOOLEAN"/>
      <property name="d" value="2.5" type="DOUBLE"/>
      <property name="j" value='{"a":[1,2]}' type="JSON"/>
      <property name="inline" type="JSON">{"k": "v"}</property>
      <property name="fromPayload" expression="json-eval($.items[1].name)"/>
      <property name="objAsText" expression="json-eval($.items[0])"/>
      <property name="objAsJson" expression="json-eval($.items[0])" type="JSON"/>
      <property name="X-Custom" value="hdr" scope="transport"/>
      <property name="ax" value="axis" scope="axis2"/>
      <property name="copy" expression="$ctx:s"/>
      <property name="gone" value="x"/>
      <property name="gone" action="remove"/>
      <property name="missing" expression="json-eval($.nothing)"/>
      <property name="synapse" expression="\${payload.items.length()}" type="INTEGER"/>
      <property name="literal" value="{$ctx:s}"/>`),
      { payload: { items: [{ name: 'a' }, { name: 'b' }] } },
    );
    expect(res.error).toBeUndefined();
    const p = (n: string) => res.context.getProperty(n);
    expect(p('s')).toBe('42');
    expect(p('i')).toBe(42);
    expect(p('b')).toBe(true);
    expect(p('d')).toBe(2.5);
    expect(p('j')).toEqual({ a: [1, 2] });
    expect(p('inline')).toEqual({ k: 'v' });
    expect(p('fromPayload')).toBe('b');
    expect(p('objAsText')).toBe('{"name":"a"}');
    expect(p('objAsJson')).toEqual({ name: 'a' });
    expect(res.context.getHeader('x-custom')).toBe('hdr');
    expect(res.context.getProperty('ax', 'axis2')).toBe('axis');
    expect(p('copy')).toBe('42');
    expect(p('gone')).toBeUndefined();
    expect(p('missing')).toBeUndefined();
    expect(p('synapse')).toBe(2);
    // value= is a literal in Synapse, never evaluated.
    expect(p('literal')).toBe('{$ctx:s}');
  });

  it('reports a value that cannot be converted, with its line', async () => {
    const res = await h.run(seq(`<property name="ok" value="1"/>\n<property name="n" value="abc" type="INTEGER"/>`));
    expect(res.outcome).toBe('fault');
    expect(res.error?.code).toBe('SEQUENCE_ERROR');
    expect(res.error?.message).toMatch(/test\.xml:4: property 'n': cannot convert "abc" to INTEGER/);
  });
});

describe('variable', () => {
  it('sets and removes MI variables readable as ${vars.x}', async () => {
    const res = await h.run(
      seq(`
      <variable name="v" type="JSON" expression="\${payload.a}"/>
      <variable name="n" value="7" type="INTEGER"/>
      <variable name="tmp" value="x"/>
      <variable name="tmp" action="remove"/>
      <property name="fromVar" expression="\${vars.v.b + vars.n}" type="INTEGER"/>`),
      { payload: { a: { b: 3 } } },
    );
    expect(res.error).toBeUndefined();
    expect(res.context.variables.get('v')).toEqual({ b: 3 });
    expect(res.context.variables.has('tmp')).toBe(false);
    expect(res.context.getProperty('fromVar')).toBe(10);
  });
});

describe('log', () => {
  it('writes custom, full and headers levels through the logger, redacting secrets', async () => {
    const res = await h.run(
      seq(`
      <property name="X-Trace" value="t-1" scope="transport"/>
      <log level="custom" category="WARN">
        <property name="count" expression="json-eval($.items.length())"/>
        <property name="password" expression="$ctx:pass"/>
        <property name="note" value="Basic YWRtaW46YWRtaW4="/>
      </log>
      <log level="full"/>
      <log level="headers"/>
      <log><message>Hello \${payload.items[0]}!</message></log>`),
      { payload: { items: ['world'] } },
    );
    expect(res.error).toBeUndefined();
    const [custom, full, headers, simple] = res.logs;
    expect(custom.level).toBe('warn');
    expect(custom.fields).toEqual({ count: 1, password: '***', note: 'Basic ***' });
    expect(full.fields?.payload).toEqual({ items: ['world'] });
    expect(headers.fields?.headers).toEqual({ 'x-trace': 't-1' });
    expect(headers.fields?.payload).toBeUndefined();
    expect(simple.message).toBe('Hello world!');
    expect(JSON.stringify(res.logs)).not.toContain('admin');
  });
});

describe('filter and switch', () => {
  const branches = seq(`
    <filter source="json-eval($.priority)" regex="1|2">
      <then><property name="urgent" value="yes"/></then>
      <else><property name="urgent" value="no"/></else>
    </filter>
    <filter xpath="\${payload.state == 'new' &amp;&amp; exists(payload.priority)}">
      <property name="isNew" value="true"/>
    </filter>
    <filter xpath="get-property('flag') = 'on'">
      <then><property name="flagged" value="1"/></then>
    </filter>
    <switch source="json-eval($.category)">
      <case regex="net.*"><property name="team" value="network"/></case>
      <case regex="software"><property name="team" value="apps"/></case>
      <default><property name="team" value="service desk"/></default>
    </switch>`);

  it('takes then and the first matching case', async () => {
    const res = await h.run(branches, { payload: { priority: '2', state: 'new', category: 'network' }, properties: { flag: 'on' } });
    expect(res.error).toBeUndefined();
    expect(res.context.getProperty('urgent')).toBe('yes');
    expect(res.context.getProperty('isNew')).toBe('true');
    expect(res.context.getProperty('flagged')).toBe('1');
    expect(res.context.getProperty('team')).toBe('network');
  });

  it('takes else and default; a regex must match the whole value', async () => {
    const res = await h.run(branches, { payload: { priority: '12', state: 'closed', category: 'software-x' } });
    expect(res.error).toBeUndefined();
    expect(res.context.getProperty('urgent')).toBe('no');
    expect(res.context.getProperty('isNew')).toBeUndefined();
    expect(res.context.getProperty('flagged')).toBeUndefined();
    expect(res.context.getProperty('team')).toBe('service desk');
  });
});

describe('payloadFactory', () => {
  it('fills $n placeholders as JSON so quotes cannot break the document', async () => {
    const res = await h.run(
      seq(`
      <payloadFactory media-type="json">
        <format>{"short_description": "$1", "tags": $2, "count": $3, "note": "P$4 - $1", "missing": $5, "ctx": "$6"}</format>
        <args>
          <arg evaluator="json" expression="$.text"/>
          <arg evaluator="json" expression="$.tags"/>
          <arg evaluator="json" expression="$.tags.length()"/>
          <arg value="1"/>
          <arg evaluator="json" expression="$.nothing"/>
          <arg expression="$ctx:who"/>
        </args>
      </payloadFactory>`),
      { payload: { text: 'Disk "full" on db-01 \\ now', tags: ['a', 'b'] }, properties: { who: 'ops' } },
    );
    expect(res.error).toBeUndefined();
    expect(res.context.payload).toEqual({
      short_description: 'Disk "full" on db-01 \\ now',
      tags: ['a', 'b'],
      count: 2,
      note: 'P1 - Disk "full" on db-01 \\ now',
      missing: null,
      ctx: 'ops',
    });
  });

  it('fills inline ${...} expressions and CDATA formats; media-type text', async () => {
    const res = await h.run(
      seq(`
      <payloadFactory media-type="json">
        <format><![CDATA[{"who": "\${props.who}", "items": \${payload.items}, "first": \${payload.items[0]}}]]></format>
      </payloadFactory>
      <property name="json" expression="json-eval($)" type="JSON"/>
      <payloadFactory media-type="text"><format>Hi $1, \${payload.first}</format><args><arg expression="$ctx:who"/></args></payloadFactory>`),
      { payload: { items: [{ id: 1 }] }, properties: { who: 'a "b"' } },
    );
    expect(res.error).toBeUndefined();
    expect(res.context.getProperty('json')).toEqual({ who: 'a "b"', items: [{ id: 1 }], first: { id: 1 } });
    expect(res.context.payload).toBe('Hi a "b", {"id":1}');
    expect(res.context.contentType).toBe('text/plain');
  });
});

describe('foreach', () => {
  it('runs the body per item sequentially and writes the results back (classic)', async () => {
    const res = await h.run(
      seq(`
      <foreach expression="json-eval($.rows)">
        <sequence>
          <payloadFactory media-type="json">
            <format>{"name": "$1", "upper": "\${toUpper(payload.name)}"}</format>
            <args><arg evaluator="json" expression="$.name"/></args>
          </payloadFactory>
          <property name="leak" value="no"/>
        </sequence>
      </foreach>`),
      { payload: { batch: 7, rows: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } },
    );
    expect(res.error).toBeUndefined();
    expect(res.context.payload).toEqual({
      batch: 7,
      rows: [
        { name: 'a', upper: 'A' },
        { name: 'b', upper: 'B' },
        { name: 'c', upper: 'C' },
      ],
    });
    // Each iteration works on its own copy of the context.
    expect(res.context.getProperty('leak')).toBeUndefined();
  });

  it('collects results into a variable with a counter (MI 4.4 style), dropping items on <drop/>', async () => {
    const res = await h.run(
      seq(`
      <foreach collection="\${payload.rows}" result-target="out" counter-variable="i">
        <sequence>
          <filter xpath="\${payload.skip == true}"><drop/></filter>
          <payloadFactory media-type="json"><format>{"i": \${vars.i}, "n": "\${payload.name}"}</format></payloadFactory>
        </sequence>
      </foreach>`),
      { payload: { rows: [{ name: 'a' }, { name: 'b', skip: true }, { name: 'c' }] } },
    );
    expect(res.error).toBeUndefined();
    expect(res.context.variables.get('out')).toEqual([
      { i: 0, n: 'a' },
      { i: 2, n: 'c' },
    ]);
    expect(res.context.payload).toEqual({ rows: [{ name: 'a' }, { name: 'b', skip: true }, { name: 'c' }] });
  });

  it('iterates an async iterable held in a property (the shape of a streamed read)', async () => {
    async function* records() {
      for (let n = 1; n <= 3; n++) yield { n };
    }
    const res = await h.run(
      seq(`
      <foreach collection="\${props.stream}" result-target="body">
        <sequence><payloadFactory media-type="json"><format>{"double": \${payload.n * 2}}</format></payloadFactory></sequence>
      </foreach>`),
      { properties: { stream: records() } },
    );
    expect(res.error).toBeUndefined();
    expect(res.context.payload).toEqual([{ double: 2 }, { double: 4 }, { double: 6 }]);
  });

  it('runs a named sequence per item (sequence key child) and accepts a file that is one unnamed sequence', async () => {
    const res = await h.run(
      `<definitions>
        <sequence name="main">
          <foreach expression="json-eval($.n)"><sequence key="square"/></foreach>
        </sequence>
        <sequence name="square"><payloadFactory media-type="json"><format>\${payload * payload}</format></payloadFactory></sequence>
      </definitions>`,
      { payload: { n: [1, 2, 3] } },
    );
    expect(res.error).toBeUndefined();
    expect(res.context.payload).toEqual({ n: [1, 4, 9] });
    const unnamed = await h.run(`<sequence><property name="x" value="1"/></sequence>`);
    expect(unnamed.context.getProperty('x')).toBe('1');
  });

  it('does nothing for a missing array and fails for a non-array', async () => {
    const ok = await h.run(seq(`<foreach expression="json-eval($.none)"><sequence><drop/></sequence></foreach>`), { payload: {} });
    expect(ok.outcome).toBe('completed');
    const bad = await h.run(seq(`<foreach expression="json-eval($.n)"><sequence><drop/></sequence></foreach>`), { payload: { n: 5 } });
    expect(bad.outcome).toBe('fault');
    expect(bad.error?.message).toMatch(/expected an array/);
  });
});

describe('enrich', () => {
  it('moves values between body, properties, variables, inline JSON and payload paths', async () => {
    const res = await h.run(
      seq(`
      <enrich><source type="body" clone="true"/><target type="property" property="original"/></enrich>
      <enrich><source type="custom" xpath="json-eval($.a.b)"/><target type="variable" variable="ab"/></enrich>
      <enrich><source type="inline">{"added": true}</source><target type="custom" xpath="json-eval($.a.c)"/></enrich>
      <enrich><source type="inline">{"x": 1}</source><target type="custom" action="child" xpath="json-eval($.list)"/></enrich>
      <enrich><source type="property" property="extra"/><target type="custom" xpath="json-eval($.new.deep)"/></enrich>
      <enrich><source type="inline">{"merged": 1}</source><target type="body" action="child"/></enrich>
      <enrich><source type="property" property="original"/><target type="variable" variable="copy"/></enrich>`),
      { payload: { a: { b: 'B' }, list: [] }, properties: { extra: 'E' } },
    );
    expect(res.error).toBeUndefined();
    expect(res.context.getProperty('original')).toEqual({ a: { b: 'B' }, list: [] });
    expect(res.context.variables.get('ab')).toBe('B');
    expect(res.context.payload).toEqual({ a: { b: 'B', c: { added: true } }, list: [{ x: 1 }], new: { deep: 'E' }, merged: 1 });
  });

  it('replaces the body from a property', async () => {
    const res = await h.run(seq(`<enrich><source type="property" property="doc"/><target type="body"/></enrich>`), {
      properties: { doc: { replaced: true } },
      payload: { old: 1 },
    });
    expect(res.context.payload).toEqual({ replaced: true });
  });
});

describe('drop, respond, sequence, call-template', () => {
  it('respond and drop end the flow without running what follows', async () => {
    const r = await h.run(seq(`<property name="a" value="1"/><respond/><property name="b" value="2"/>`));
    expect(r.outcome).toBe('responded');
    expect(r.context.getProperty('b')).toBeUndefined();
    const d = await h.run(seq(`<drop/><property name="b" value="2"/>`));
    expect(d.outcome).toBe('dropped');
    expect(d.context.getProperty('b')).toBeUndefined();
  });

  it('calls named sequences, nested, and templates with parameters', async () => {
    const xml = `<definitions xmlns="http://ws.apache.org/ns/synapse">
      <sequence name="main">
        <property name="trail" value="main"/>
        <sequence key="outer"/>
        <call-template target="greet">
          <with-param name="who" value="{json-eval($.user)}"/>
        </call-template>
      </sequence>
      <sequence name="outer">
        <property name="trail" expression="concat($ctx:trail, '>outer')"/>
        <sequence key="inner"/>
      </sequence>
      <sequence name="inner">
        <property name="trail" expression="concat($ctx:trail, '>inner')"/>
      </sequence>
      <template name="greet">
        <parameter name="who" isMandatory="true"/>
        <parameter name="greeting" defaultValue="Hello"/>
        <sequence>
          <property name="greeting" expression="concat($func:greeting, ' ', get-property('func', 'who'))"/>
        </sequence>
      </template>
    </definitions>`;
    const res = await h.run(xml, { payload: { user: 'Abel' } });
    expect(res.error).toBeUndefined();
    expect(res.context.getProperty('trail')).toBe('main>outer>inner');
    expect(res.context.getProperty('greeting')).toBe('Hello Abel');
    expect(res.context.templateParams).toBeUndefined();
  });

  it('stops a sequence that calls itself forever', async () => {
    const res = await h.run(seq(`<sequence key="main"/>`));
    expect(res.outcome).toBe('fault');
    expect(res.error?.message).toMatch(/nest deeper than 64/);
  });
});

describe('connector operations', () => {
  it('responseVariable keeps the body and stores payload, status and headers; overwriteBody replaces it', async () => {
    const res = await h.run(
      seq(`${INIT}
      <servicenow.getRecords>
        <tableName>incident</tableName>
        <sysparmLimit>2</sysparmLimit>
        <responseVariable>list</responseVariable>
      </servicenow.getRecords>
      <property name="firstNumber" expression="\${vars.list.payload.result[0].number}"/>
      <property name="status" expression="\${vars.list.attributes.statusCode}"/>
      <property name="total" expression="\${vars.list.headers['x-total-count']}"/>
      <servicenow.getRecordById>
        <tableName>incident</tableName>
        <sysId>{\${vars.list.payload.result[1].sys_id}}</sysId>
        <responseVariable>one</responseVariable>
        <overwriteBody>true</overwriteBody>
      </servicenow.getRecordById>`),
      { payload: { untouched: true } },
    );
    expect(res.error).toBeUndefined();
    const list = res.context.variables.get('list') as { payload: { result: { number: string; sys_id: string }[] } };
    expect(list.payload.result).toHaveLength(2);
    expect(res.context.getProperty('firstNumber')).toBe(list.payload.result[0].number);
    expect(res.context.getProperty('status')).toBe('200'); // type STRING by default, as in Synapse
    expect(Number(res.context.getProperty('total'))).toBe(h.sim.db.count('incident'));
    expect((res.context.payload as { result: { sys_id: string } }).result.sys_id).toBe(list.payload.result[1].sys_id);
  });

  it('a named init in a localEntry is used through configKey', async () => {
    const xml = `<definitions xmlns="http://ws.apache.org/ns/synapse">
      <localEntry key="SN">
        <servicenow.init>
          <name>SN</name>
          <serviceNowInstanceURL>{$ctx:instanceURL}</serviceNowInstanceURL>
          <username>{$ctx:user}</username>
          <password>{$ctx:pass}</password>
        </servicenow.init>
      </localEntry>
      <sequence name="main">
        <servicenow.getAggregateRecord configKey="SN">
          <tableName>incident</tableName>
          <sysparmCount>true</sysparmCount>
        </servicenow.getAggregateRecord>
      </sequence>
    </definitions>`;
    const res = await h.run(xml);
    expect(res.error).toBeUndefined();
    const stats = (res.context.payload as { result: { stats: { count: string } } }).result.stats;
    expect(Number(stats.count)).toBe(h.sim.db.count('incident'));
  });

  it('an operation before any init is a fault naming the line', async () => {
    const res = await h.run(seq(`<servicenow.getRecords><tableName>incident</tableName></servicenow.getRecords>`));
    expect(res.outcome).toBe('fault');
    expect(res.error?.message).toMatch(/test\.xml:3: <servicenow\.getRecords> runs before any <servicenow\.init>/);
  });
});
