// Property-based fuzzing (fast-check) of the three places hostile text reaches first: the expression language, the
// encoded-query composer of keyset paging, and the parameter binder. For any input: no exception but a typed one,
// no new member on Object.prototype, and no request sent for input that was refused (counted at the simulator).
// Bounded by run counts (a few hundred cases each), so the file stays within a few seconds.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateValue, MessageContext, parseAttributeExpression, PathWriteError, writeAtPath } from '../../src/context/index.js';
import { ExpressionSyntaxError, parseJsonPath } from '../../src/context/json-path.js';
import { ConnectorError } from '../../src/errors.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connection } from '../../src/invoke/types.js';
import { composeQuery, splitQuery, tupleAfter } from '../../src/paging/encoded-query.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
function prototypeUnchanged(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>)['x']).toBeUndefined();
}

/** Text built from the pieces the grammars care about, so the fuzzer reaches deep instead of failing on the first character. */
function textOf(pieces: string[], maxLength = 12): fc.Arbitrary<string> {
  return fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), { maxLength }).map((parts) => parts.join(''));
}

const EXPRESSION_PIECES = ['$', '.', '[', ']', '(', ')', "'", '"', '{', '}', '${', ':', ',', '*', '?', '@', '==', '!', '<', '>', '+', '-', '&&', '||', ' ', '\\', '0', '1', '-1', 'a', 'b',
  'json-eval(', '$ctx:', 'get-property(', 'payload', 'vars', 'props', '__proto__', 'constructor', 'prototype', '.length()', '[?(@.a', 'exists(', 'not(', 'true', 'null'];

describe('fuzz: expression language', () => {
  const ctx = new MessageContext({ payload: { a: [1, { b: 'x' }], s: 'text' }, properties: { p: 'v' } });

  it('evaluating any text gives a value or a typed error, and never touches Object.prototype', () => {
    fc.assert(
      fc.property(textOf(EXPRESSION_PIECES), (text) => {
        try {
          evaluateValue(text, ctx);
          evaluateValue(`{${text}}`, ctx);
          evaluateValue(`\${${text}}`, ctx);
        } catch (err) {
          if (!(err instanceof ConnectorError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
    prototypeUnchanged();
  });

  it('a parsed path written into a payload is written as own data or refused with a typed error', () => {
    fc.assert(
      fc.property(textOf(['$', '.', '[', ']', "'", '0', '1', '-1', '*', 'a', 'b', '__proto__', 'constructor', 'prototype'], 8), (text) => {
        let node;
        try {
          node = parseAttributeExpression(`\${payload${text}}`);
        } catch (err) {
          if (!(err instanceof ConnectorError)) throw err;
          return;
        }
        const steps = node.kind === 'path' ? node.steps : [];
        if (steps.length === 0 || !steps.every((s) => s.type === 'key' || s.type === 'index')) return;
        try {
          writeAtPath({ a: [1], b: {} }, steps, () => ({ x: 1 }), 'fuzz');
        } catch (err) {
          if (!(err instanceof ConnectorError) && !(err instanceof PathWriteError)) throw err;
        }
      }),
      { numRuns: 400 },
    );
    prototypeUnchanged();
  });

  it('the JSONPath parser throws only its own syntax error', () => {
    fc.assert(
      fc.property(textOf(EXPRESSION_PIECES), (text) => {
        try {
          parseJsonPath('$' + text);
        } catch (err) {
          if (!(err instanceof ExpressionSyntaxError) && !(err instanceof ConnectorError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzz: encoded-query composer', () => {
  const syntax = { and: '^', or: '^NQ', orderBy: 'ORDERBY' };
  const query = textOf(['^', '^NQ', '^^', 'NQ', ' NQ', 'ORDERBY', ' ORDERBY', 'ORDERBYDESC', 'a', 'b', '=', '>', ' ', 'x'], 10);

  it('every OR group of the composed query keeps the cursor condition (a group without it would restart from the top)', () => {
    fc.assert(
      fc.property(query, (user) => {
        const cursor = tupleAfter(['k'], ['V1']);
        const composed = composeQuery(splitQuery(user, syntax), cursor, ['k'], syntax);
        const again = splitQuery(composed, syntax);
        for (const group of again.groups) expect(group).toContain('k>V1');
        expect(again.orderTerms).toContain('ORDERBYk');
      }),
      { numRuns: 500 },
    );
    prototypeUnchanged();
  });
});

describe('fuzz: parameter binder', () => {
  let sim: RunningSimulator;
  let conn: Connection;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    conn = (await loadConnector()).connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin', maxRetries: 0 });
  });
  afterAll(async () => {
    await conn.close();
    await sim.close();
  });

  const names = fc.constantFrom('tableName', 'sysparmLimit', 'sysparmOffset', 'sysparmQuery', 'sysparmFields', 'sysparmDisplayValue', 'sysparmNoCount', 'unknown', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
  const values = fc.oneof(
    fc.constantFrom('incident', 'Infinity', '-Infinity', '1e400', '0x10', '1_0', '5', '-1', '0', 'true', 'false', 'all', '', ' ', 'NaN', '1.5', 'a^b', '{$ctx:password}', '__proto__'),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 6 }),
    fc.dictionary(fc.constantFrom('a', '__proto__', 'x'), fc.integer(), { maxKeys: 2 }),
  );
  // Built with defineProperty so that "__proto__" is an own member, as JSON.parse would make it.
  const params = fc.tuple(fc.boolean(), fc.array(fc.tuple(names, values), { maxLength: 4 })).map(([table, pairs]) => {
    const out: Record<string, unknown> = table ? { tableName: 'incident' } : {};
    for (const [k, v] of pairs) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });

  it('any parameters give a result or a typed error, and a refused call sends nothing', async () => {
    let refused = 0;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(params, async (given) => {
        const before = sim.requests().length;
        try {
          await conn.invoke('getRecords', given);
          sent++;
          // What went on the wire is valid: integer parameters as decimal digits (never Infinity, 1e400, 0x10).
          for (const name of ['sysparm_limit', 'sysparm_offset']) {
            const v = sim.requests().at(-1)?.query[name];
            if (v !== undefined) expect(v, name).toMatch(/^\d+$/);
          }
        } catch (err) {
          if (!(err instanceof ConnectorError)) throw err;
          if (['INVALID_PARAMETER', 'MISSING_PARAMETER'].includes(err.code)) {
            refused++;
            expect(sim.requests().length, `${err.message} was sent`).toBe(before);
          }
        }
      }),
      { numRuns: 100 },
    );
    // Both kinds of input were generated: the property was not satisfied vacuously.
    expect(refused).toBeGreaterThan(10);
    expect(sent).toBeGreaterThan(0);
    prototypeUnchanged();
  });
});
