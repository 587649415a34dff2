import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import {
  MessageContext,
  evaluateCondition,
  evaluateExpression,
  evaluateValue,
  parseExpression,
} from '../../src/context/index.js';

function context(): MessageContext {
  const ctx = new MessageContext({
    payload: {
      result: [
        { sys_id: 'a1', number: 'INC1', priority: '1', tags: ['x', 'y'] },
        { sys_id: 'b2', number: 'INC2', priority: '3', tags: [] },
      ],
      'odd key': { value: 7 },
      nested: { flag: false, count: 0, name: 'db-01' },
    },
    properties: { instance: 'http://127.0.0.1:1', limit: 5, obj: { a: [1, 2] }, empty: '' },
    headers: { 'X-Trace-Id': 'trace-1' },
  });
  ctx.setProperty('axisProp', 'ax', 'axis2');
  ctx.variables.set('resp', { payload: { result: { sys_id: 'c3' } }, attributes: { statusCode: 201 }, headers: {} });
  return ctx;
}

describe('evaluateValue: literals', () => {
  it('returns plain text and JSON text unchanged', () => {
    const ctx = context();
    expect(evaluateValue('incident', ctx)).toBe('incident');
    expect(evaluateValue('{"short_description":"Disk \\"full\\""}', ctx)).toBe('{"short_description":"Disk \\"full\\""}');
    expect(evaluateValue('', ctx)).toBe('');
    expect(evaluateValue('a {b} c', ctx)).toBe('a {b} c');
  });
});

describe('evaluateValue: classic Synapse forms', () => {
  it('reads properties, headers and axis2 scope', () => {
    const ctx = context();
    expect(evaluateValue('{$ctx:instance}', ctx)).toBe('http://127.0.0.1:1');
    expect(evaluateValue('{$ctx:limit}', ctx)).toBe(5);
    expect(evaluateValue('{$trp:x-trace-id}', ctx)).toBe('trace-1');
    expect(evaluateValue('{$axis2:axisProp}', ctx)).toBe('ax');
    expect(evaluateValue("{get-property('instance')}", ctx)).toBe('http://127.0.0.1:1');
    expect(evaluateValue("{get-property('transport', 'X-Trace-Id')}", ctx)).toBe('trace-1');
    expect(evaluateValue("{get-property('axis2','axisProp')}", ctx)).toBe('ax');
  });

  it('gives undefined for a missing property, so an optional parameter stays unset', () => {
    const ctx = context();
    expect(evaluateValue('{$ctx:nothing}', ctx)).toBeUndefined();
    expect(evaluateValue('{$trp:Nope}', ctx)).toBeUndefined();
    expect(evaluateValue("{get-property('nothing')}", ctx)).toBeUndefined();
  });

  it('evaluates the json-eval subset', () => {
    const ctx = context();
    expect(evaluateValue('{json-eval($.result[0].sys_id)}', ctx)).toBe('a1');
    expect(evaluateValue('{json-eval($.result[-1].number)}', ctx)).toBe('INC2');
    expect(evaluateValue("{json-eval($['odd key'].value)}", ctx)).toBe(7);
    expect(evaluateValue('{json-eval($.result[*].number)}', ctx)).toEqual(['INC1', 'INC2']);
    expect(evaluateValue('{json-eval($.result.length())}', ctx)).toBe(2);
    expect(evaluateValue('{json-eval($.result[*].tags[*])}', ctx)).toEqual(['x', 'y']);
    expect(evaluateValue('{json-eval($.result[0].tags)}', ctx)).toEqual(['x', 'y']);
    expect(evaluateValue('{json-eval($.nested)}', ctx)).toEqual({ flag: false, count: 0, name: 'db-01' });
    expect(evaluateValue('{json-eval($.nested.flag)}', ctx)).toBe(false);
    expect(evaluateValue('{json-eval($.missing.deeper)}', ctx)).toBeUndefined();
    expect(evaluateValue('{json-eval($.result[9])}', ctx)).toBeUndefined();
    expect(evaluateValue('{json-eval($)}', ctx)).toBe(ctx.payload);
  });

  it('reads an XML payload through MI\'s XML -> JSON mapping, and gives undefined for a text payload', () => {
    const ctx = new MessageContext({ payload: '<a><b>1</b></a>' });
    ctx.contentType = 'application/xml';
    expect(evaluateValue('{json-eval($.a.b)}', ctx)).toBe(1);
    expect(evaluateValue('${payload.a}', ctx)).toEqual({ b: 1 });
    expect(evaluateValue('{json-eval($)}', ctx)).toEqual({ a: { b: 1 } });
    const text = new MessageContext({ payload: 'plain' });
    expect(evaluateValue('{json-eval($.a)}', text)).toBeUndefined();
    const none = new MessageContext();
    expect(evaluateValue('{json-eval($.a)}', none)).toBeUndefined();
  });
});

describe('evaluateValue: Synapse expressions', () => {
  it('reads payload, vars, props and headers', () => {
    const ctx = context();
    expect(evaluateValue('${payload.result[1].number}', ctx)).toBe('INC2');
    expect(evaluateValue('${payload["odd key"].value}', ctx)).toBe(7);
    expect(evaluateValue('${vars.resp.payload.result.sys_id}', ctx)).toBe('c3');
    expect(evaluateValue('${vars.resp.attributes.statusCode}', ctx)).toBe(201);
    expect(evaluateValue('${props.instance}', ctx)).toBe('http://127.0.0.1:1');
    expect(evaluateValue('${properties.limit}', ctx)).toBe(5);
    expect(evaluateValue('${props.synapse.limit}', ctx)).toBe(5);
    expect(evaluateValue('${props.axis2.axisProp}', ctx)).toBe('ax');
    expect(evaluateValue('${headers["X-Trace-Id"]}', ctx)).toBe('trace-1');
    expect(evaluateValue('${headers.missing}', ctx)).toBeUndefined();
    expect(evaluateValue('{${payload.nested.name}}', ctx)).toBe('db-01');
  });

  it('returns arrays and objects as values, not text', () => {
    const ctx = context();
    expect(evaluateValue('${props.obj}', ctx)).toEqual({ a: [1, 2] });
    expect(evaluateValue('${payload.result[*].sys_id}', ctx)).toEqual(['a1', 'b2']);
    expect(evaluateValue('${vars.nothing.payload}', ctx)).toBeUndefined();
  });

  it('computes with operators and functions', () => {
    const ctx = context();
    expect(evaluateValue('${props.limit + 1}', ctx)).toBe(6);
    expect(evaluateValue('${"n=" + props.limit}', ctx)).toBe('n=5');
    expect(evaluateValue('${length(payload.result)}', ctx)).toBe(2);
    expect(evaluateValue('${toUpper(payload.nested.name)}', ctx)).toBe('DB-01');
    expect(evaluateValue('${props.limit > 3 ? "many" : "few"}', ctx)).toBe('many');
    expect(evaluateValue('${exists(props.nothing)}', ctx)).toBe(false);
  });

  it('filters arrays with [?(...)] where @ is the item', () => {
    const ctx = context();
    expect(evaluateValue("${payload.result[?(@.priority == '1')].number}", ctx)).toEqual(['INC1']);
    expect(evaluateValue('${length(payload.result[?(@.priority > 1)])}', ctx)).toBe(1);
    expect(evaluateValue('{json-eval($.result[?(@.tags.length() > 0 && @.number != "x")].sys_id)}', ctx)).toEqual(['a1']);
    expect(evaluateValue('${payload.result[?(@.priority == props.limit)]}', ctx)).toEqual([]);
    expect(() => evaluateValue('${payload.result[?(@.a == )]}', ctx)).toThrow(ConnectorError);
  });

  it('interpolates ${...} inside longer text', () => {
    const ctx = context();
    expect(evaluateValue('number=${payload.result[0].number}^active=true', ctx)).toBe('number=INC1^active=true');
    expect(evaluateValue('[${props.nothing}]', ctx)).toBe('[]');
    expect(evaluateValue('obj=${props.obj}', ctx)).toBe('obj={"a":[1,2]}');
    expect(evaluateValue('cost \\${not an expression}', ctx)).toBe('cost ${not an expression}');
    expect(evaluateValue('${payload["a}b"]}', ctx)).toBeUndefined();
  });
});

describe('malformed expressions', () => {
  it.each([
    ['{json-eval(result.a)}'],
    ['{json-eval($.a[)}'],
    ['{$ctx:}'],
    ["{get-property('nowhere', 'x')}"],
    ['${payload.a'],
    ['${nosuchroot.a}'],
    ['${payload.a ==}'],
    ['${unknownFn(1)}'],
    ["${'unterminated}"],
  ])('%s is rejected with INVALID_PARAMETER naming it', (raw) => {
    const ctx = context();
    let caught: unknown;
    try {
      evaluateValue(raw, ctx);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConnectorError);
    const err = caught as ConnectorError;
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.message).toContain(JSON.stringify(raw).slice(1, 8));
  });

  it('points at the character of the mistake in the whole value', () => {
    expect(() => parseExpression('{json-eval(result.a)}')).toThrow(/a JSONPath starts with "\$" \(at character 12\)/);
    expect(() => parseExpression('a=${payload.x ==}')).toThrow(/\(at character 17\)/);
  });

  it('parseExpression names the parameter and classifies values', () => {
    expect(() => parseExpression('{json-eval(x)}', 'sysId')).toThrow(/parameter 'sysId'/);
    expect(parseExpression('incident').kind).toBe('literal');
    expect(parseExpression('{$ctx:a}').kind).toBe('expression');
    expect(parseExpression('a ${props.b} c').kind).toBe('template');
  });
});

describe('conditions and attribute expressions', () => {
  it('evaluates XPath-style and Synapse-style conditions', () => {
    const ctx = context();
    expect(evaluateCondition("get-property('limit') = 5", ctx)).toBe(true);
    expect(evaluateCondition("$ctx:limit = '5'", ctx)).toBe(true);
    expect(evaluateCondition("boolean(get-property('nothing'))", ctx)).toBe(false);
    expect(evaluateCondition("not(boolean(get-property('nothing')))", ctx)).toBe(true);
    expect(evaluateCondition('json-eval($.result.length()) > 1 and $trp:X-Trace-Id != ""', ctx)).toBe(true);
    expect(evaluateCondition('${payload.result[0].priority == "1" && vars.resp.attributes.statusCode == 201}', ctx)).toBe(true);
    expect(evaluateCondition('${payload.nested.flag}', ctx)).toBe(false);
    expect(evaluateCondition('${payload.nested.count}', ctx)).toBe(false);
    expect(evaluateCondition('${props.empty}', ctx)).toBe(false);
    expect(evaluateCondition('${payload.result}', ctx)).toBe(true);
    expect(evaluateCondition('${!exists(payload.nothing) || false}', ctx)).toBe(true);
    expect(evaluateCondition("'false'", ctx)).toBe(false);
  });

  it('evaluates attribute expressions to values', () => {
    const ctx = context();
    expect(evaluateExpression('json-eval($.result)', ctx)).toHaveLength(2);
    expect(evaluateExpression('$ctx:instance', ctx)).toBe('http://127.0.0.1:1');
    expect(evaluateExpression('${payload.nested}', ctx)).toEqual({ flag: false, count: 0, name: 'db-01' });
    expect(evaluateExpression("concat('a', $ctx:limit, 'b')", ctx)).toBe('a5b');
    expect(() => evaluateExpression('', ctx)).toThrow(ConnectorError);
  });
});
