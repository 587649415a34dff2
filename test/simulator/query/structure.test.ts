import { describe, expect, it } from 'vitest';
import { compileQuery, formatEncodedQuery, parseEncodedQuery, QuerySyntaxError, type RecordValues } from '../../../src/simulator/query/index.js';
import { environment, INCIDENTS, numbersOf } from './fixture.js';

describe('parseEncodedQuery', () => {
  it('builds groups of AND clauses of OR alternatives, and ORDERBY terms', () => {
    expect(parseEncodedQuery('active=true^priority=1^ORpriority=2^NQnumberSTARTSWITHINC^ORDERBYpriority^ORDERBYDESCopened_at')).toEqual({
      groups: [
        {
          clauses: [
            [{ field: 'active', operator: '=', value: 'true' }],
            [
              { field: 'priority', operator: '=', value: '1' },
              { field: 'priority', operator: '=', value: '2' },
            ],
          ],
        },
        { clauses: [[{ field: 'number', operator: 'STARTSWITH', value: 'INC' }]] },
      ],
      orderBy: [
        { field: 'priority', descending: false },
        { field: 'opened_at', descending: true },
      ],
    });
  });

  it('picks the longest operator and keeps operator characters in the value', () => {
    const ops = (q: string) => parseEncodedQuery(q).groups[0].clauses[0][0];
    expect(ops('short_description=a<=b')).toEqual({ field: 'short_description', operator: '=', value: 'a<=b' });
    expect(ops('priority<=2')).toEqual({ field: 'priority', operator: '<=', value: '2' });
    expect(ops('priority!==2')).toEqual({ field: 'priority', operator: '!=', value: '=2' });
    expect(ops('short_descriptionNOT LIKELIKE')).toEqual({ field: 'short_description', operator: 'NOT LIKE', value: 'LIKE' });
    expect(ops('categoryNOT INa,b')).toEqual({ field: 'category', operator: 'NOT IN', value: 'a,b' });
    expect(ops('categoryINSTARTSWITH')).toEqual({ field: 'category', operator: 'IN', value: 'STARTSWITH' });
    expect(ops('costISNOTEMPTY')).toEqual({ field: 'cost', operator: 'ISNOTEMPTY', value: '' });
    expect(ops('stateNSAMEASpriority')).toEqual({ field: 'state', operator: 'NSAMEAS', value: 'priority' });
    expect(ops('caller_id.name=Abel')).toEqual({ field: 'caller_id.name', operator: '=', value: 'Abel' });
  });

  it('unescapes ^^ only when escaping is on', () => {
    expect(parseEncodedQuery('a=x^^y').groups[0].clauses).toEqual([[{ field: 'a', operator: '=', value: 'x^y' }]]);
    expect(parseEncodedQuery('a=x^^b=y', { caretEscape: false }).groups[0].clauses).toEqual([
      [{ field: 'a', operator: '=', value: 'x' }],
      [{ field: 'b', operator: '=', value: 'y' }],
    ]);
  });

  it('an empty query has no groups and no order', () => {
    expect(parseEncodedQuery('')).toEqual({ groups: [], orderBy: [] });
    expect(parseEncodedQuery('ORDERBYnumber')).toEqual({ groups: [], orderBy: [{ field: 'number', descending: false }] });
  });

  const malformed: [string, RegExp][] = [
    ['active', /'active' at position 0 has no operator/],
    ['activeFOO', /unknown operator in 'activeFOO'/],
    ['=true', /has no field name/],
    ['Active=true', /has no field name/],
    ['a..b=1', /not a valid field path/],
    ['priorityBETWEEN1', /BETWEEN needs 'low@high'/],
    ['priorityBETWEEN@3', /BETWEEN needs both bounds/],
    ['ORDERBY', /ORDERBY at position 0 names no field/],
    ['active=true^ORDERBYDESC', /ORDERBYDESC at position 12 names no field/],
    ['ORDERBYBad', /not a valid field path/],
    ['ORpriority=1', /\^OR at position 0 has no condition before it/],
    ['costISEMPTYx', /ISEMPTY takes no value/],
    ['stateSAMEASnot a field', /not a field name/],
  ];
  it.each(malformed)('rejects %s', (query, message) => {
    expect(() => parseEncodedQuery(query)).toThrow(QuerySyntaxError);
    expect(() => parseEncodedQuery(query)).toThrow(message);
    try {
      parseEncodedQuery(query);
    } catch (error) {
      expect((error as QuerySyntaxError).query).toBe(query);
    }
  });
});

describe('unknown fields', () => {
  it('by default a condition on an unknown field is dropped and reported', () => {
    const q = compileQuery('active=true^nosuchfield=1', environment());
    expect(q.unknownFields).toEqual(['nosuchfield']);
    expect(numbersOf(q.matches)).toEqual(['INC001', 'INC002']);
  });

  it('an unknown alternative of an OR clause is dropped, not treated as true', () => {
    expect(numbersOf(compileQuery('priority=1^ORbogus=2', environment()).matches)).toEqual(['INC001']);
  });

  it('unknown dot-walks and SAMEAS targets are unknown fields too', () => {
    expect(compileQuery('caller_id.bogus=1^categorySAMEASnope', environment()).unknownFields).toEqual(['caller_id.bogus', 'nope']);
    expect(compileQuery('number.name=1', environment()).unknownFields).toEqual(['number.name']);
  });

  it('with invalidQueryReturnsNoRows the whole query matches nothing', () => {
    const q = compileQuery('active=true^nosuchfield=1', environment({ invalidQueryReturnsNoRows: true }));
    expect(q.unknownFields).toEqual(['nosuchfield']);
    expect(numbersOf(q.matches)).toEqual([]);
    expect(numbersOf(compileQuery('active=true', environment({ invalidQueryReturnsNoRows: true })).matches)).toEqual(['INC001', 'INC002']);
  });

  it('an unknown ORDERBY field is ignored and reported separately', () => {
    const q = compileQuery('ORDERBYbogus^ORDERBYnumber', environment({ invalidQueryReturnsNoRows: true }));
    expect(q.unknownFields).toEqual([]);
    expect(q.unknownOrderByFields).toEqual(['bogus']);
    expect(numbersOf(q.matches)).toHaveLength(4);
  });
});

describe('ordering', () => {
  const sorted = (query: string): string[] => {
    const q = compileQuery(query, environment());
    return [...INCIDENTS].sort((a, b) => q.compare(a, b)).map((r: RecordValues) => r.number);
  };

  it('no ORDERBY keeps the input order', () => {
    expect(sorted('active=true')).toEqual(['INC001', 'INC002', 'INC003', 'INC004']);
  });

  it('choices numerically (10 after 3), descending reverses', () => {
    expect(sorted('ORDERBYpriority')).toEqual(['INC001', 'INC002', 'INC003', 'INC004']);
    expect(sorted('ORDERBYDESCpriority')).toEqual(['INC004', 'INC003', 'INC002', 'INC001']);
  });

  it('empty values first ascending, last descending', () => {
    expect(sorted('ORDERBYcost')).toEqual(['INC003', 'INC002', 'INC001', 'INC004']);
    expect(sorted('ORDERBYDESCcost')).toEqual(['INC004', 'INC001', 'INC002', 'INC003']);
    expect(sorted('ORDERBYopened_at')).toEqual(['INC004', 'INC001', 'INC002', 'INC003']);
  });

  it('text case-insensitively; ties keep their order; later terms break ties', () => {
    // network, software, '', Network -> '' first, then the two networks in input order, then software
    expect(sorted('ORDERBYcategory')).toEqual(['INC003', 'INC001', 'INC004', 'INC002']);
    expect(sorted('ORDERBYcategory^ORDERBYDESCnumber')).toEqual(['INC003', 'INC004', 'INC001', 'INC002']);
  });

  it('dot-walked order and an ORDERBY written among conditions', () => {
    expect(sorted('active=true^ORDERBYDESCcaller_id.name^priority!=5')).toEqual(['INC002', 'INC001', 'INC004', 'INC003']);
  });

  it('exposes the order terms and the parsed query', () => {
    const q = compileQuery('priority=1^ORDERBYDESCnumber', environment());
    expect(q.orderBy).toEqual([{ field: 'number', descending: true }]);
    expect(q.parsed?.groups).toHaveLength(1);
  });

  it('compiles an already parsed query the same way', () => {
    const parsed = parseEncodedQuery('priority>=2^ORDERBYDESCpriority');
    const q = compileQuery(parsed, environment());
    expect(numbersOf(q.matches)).toEqual(['INC002', 'INC003', 'INC004']);
  });
});

describe('formatEncodedQuery', () => {
  it('writes a parsed query back as text that parses to the same thing', () => {
    const texts = [
      'active=true^priority=1^ORpriority=2^NQnumberSTARTSWITHINC^ORDERBYpriority^ORDERBYDESCopened_at',
      'short_description=x^^y^categoryNOT INa,b',
      'costISEMPTY^opened_atBETWEEN2024-01-01 00:00:00@2024-02-01 00:00:00',
      'ORDERBYnumber',
      '',
    ];
    for (const text of texts) {
      const parsed = parseEncodedQuery(text);
      expect(formatEncodedQuery(parsed)).toBe(text);
      expect(parseEncodedQuery(formatEncodedQuery(parsed))).toEqual(parsed);
    }
  });

  it('names the query in errors raised while compiling a parsed query', () => {
    const parsed = parseEncodedQuery('opened_at>javascript:gs.nothing()');
    try {
      compileQuery(parsed, environment());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(QuerySyntaxError);
      expect((error as QuerySyntaxError).query).toBe('opened_at>javascript:gs.nothing()');
    }
  });

  it('refuses javascript: values on fields that are not dates', () => {
    expect(() => compileQuery('priority=javascript:gs.daysAgo(1)', environment())).toThrow(/only for date fields/);
  });
});
