// Telling a body's shape from its ends: what decides whether a 2xx answer is parsed at once (a cut one is retried)
// or when first read.
import { describe, expect, it } from 'vitest';
import { closesAsJsonContainer, opensContainer, opensWithMember } from '../../src/http/json-body.js';

describe('closesAsJsonContainer', () => {
  it('accepts bodies ending as an object or array does, trailing whitespace included', () => {
    expect(closesAsJsonContainer('{"result":[]}')).toBe(true);
    expect(closesAsJsonContainer('[1,2]\r\n \t')).toBe(true);
  });
  it("refuses ServiceNow's cut body, scalars and empty text (those are parsed at once)", () => {
    expect(closesAsJsonContainer('{"result":[{"a":1},{"b"Transaction cancelled: maximum execution time exceeded')).toBe(false);
    expect(closesAsJsonContainer('"text"')).toBe(false);
    expect(closesAsJsonContainer('42')).toBe(false);
    expect(closesAsJsonContainer('  ')).toBe(false);
  });
});

describe('opensWithMember', () => {
  it('finds the envelope member first, with or without whitespace', () => {
    expect(opensWithMember('{"result":{}}', 'result')).toBe(true);
    expect(opensWithMember(' {\n  "result" : []}', 'result')).toBe(true);
  });
  it('says no when another member comes first, the name only starts the same, or it is no object', () => {
    expect(opensWithMember('{"error":{},"result":{}}', 'result')).toBe(false);
    expect(opensWithMember('{"results":{}}', 'result')).toBe(false);
    expect(opensWithMember('{"result"}', 'result')).toBe(false);
    expect(opensWithMember('["result"]', 'result')).toBe(false);
    expect(opensWithMember('', 'result')).toBe(false);
  });
});

describe('opensContainer', () => {
  it('is true for an object or an array only', () => {
    expect(opensContainer(' {"a":1}')).toBe(true);
    expect(opensContainer('[]')).toBe(true);
    expect(opensContainer('"x"')).toBe(false);
    expect(opensContainer('')).toBe(false);
  });
});
