// Composition of keyset queries from the user's encoded query: OR groups kept, ordering replaced, escapes intact.
import { describe, expect, it } from 'vitest';
import { composeQuery, splitQuery, tupleAfter } from '../../src/paging/encoded-query.js';

const syntax = { and: '^', or: '^NQ', orderBy: 'ORDERBY' };

describe('keyset query composition', () => {
  it('ANDs the cursor into every OR group and orders by the key only', () => {
    const user = splitQuery('active=true^priority=1^NQstate=2^ORDERBYDESCnumber', syntax);
    expect(user).toEqual({ groups: [['active=true', 'priority=1'], ['state=2']], orderTerms: ['ORDERBYDESCnumber'] });
    expect(composeQuery(user, [['sys_id>abc']], ['sys_id'], syntax)).toBe('active=true^priority=1^sys_id>abc^NQstate=2^sys_id>abc^ORDERBYsys_id');
  });

  it('keeps a doubled caret (a literal ^ in a value) inside its term', () => {
    const user = splitQuery('short_descriptionLIKEa^^NQb^active=true', syntax);
    expect(user.groups).toEqual([['short_descriptionLIKEa^^NQb', 'active=true']]);
  });

  it('handles an empty query, and a first page without a cursor', () => {
    expect(composeQuery(splitQuery('', syntax), [[]], ['sys_id'], syntax)).toBe('ORDERBYsys_id');
    expect(composeQuery(splitQuery('', syntax), [['sys_id>x']], ['sys_id'], syntax)).toBe('sys_id>x^ORDERBYsys_id');
  });

  it('expands a two-field cursor into OR alternatives per user group', () => {
    const alternatives = tupleAfter(['sys_updated_on', 'sys_id'], ['2024-01-01 10:00:00', 'k']);
    expect(alternatives).toEqual([['sys_updated_on>2024-01-01 10:00:00'], ['sys_updated_on=2024-01-01 10:00:00', 'sys_id>k']]);
    expect(composeQuery(splitQuery('a=1^NQb=2', syntax), alternatives, ['sys_updated_on', 'sys_id'], syntax)).toBe(
      'a=1^sys_updated_on>2024-01-01 10:00:00^NQa=1^sys_updated_on=2024-01-01 10:00:00^sys_id>k^NQb=2^sys_updated_on>2024-01-01 10:00:00^NQb=2^sys_updated_on=2024-01-01 10:00:00^sys_id>k^ORDERBYsys_updated_on^ORDERBYsys_id',
    );
    expect(tupleAfter(['sys_updated_on', 'sys_id'], ['2024-01-01 10:00:00'], true)).toEqual([['sys_updated_on>=2024-01-01 10:00:00']]);
  });
});
