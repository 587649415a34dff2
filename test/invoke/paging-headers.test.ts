import { describe, expect, it } from 'vitest';
import { nextLinkOf, totalCountOf } from '../../src/invoke/paging-headers.js';

describe('paging headers', () => {
  it('finds rel="next" among ServiceNow\'s comma-separated links', () => {
    const link =
      '<https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=0>;rel="first",' +
      '<https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=0>;rel="prev",' +
      '<https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=4>;rel="next",' +
      '<https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=8>;rel="last"';
    expect(nextLinkOf({ link })).toBe('https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=4');
  });

  it('accepts spaces, unquoted and multi-valued rel, and finds none on the last page', () => {
    expect(nextLinkOf({ link: '<https://a/x?o=2>; rel=next' })).toBe('https://a/x?o=2');
    expect(nextLinkOf({ link: '<https://a/x?o=0>; rel="first", <https://a/y>; rel="prefetch next"' })).toBe('https://a/y');
    expect(nextLinkOf({ link: '<https://a/x?o=0>;rel="first",<https://a/x?o=8>;rel="last"' })).toBeUndefined();
    expect(nextLinkOf({ link: '<https://a/next-page>;rel="last"' })).toBeUndefined();
    expect(nextLinkOf({})).toBeUndefined();
  });

  it('reads X-Total-Count as a number and ignores junk', () => {
    expect(totalCountOf({ 'x-total-count': '42' })).toBe(42);
    expect(totalCountOf({ 'x-total-count': '0' })).toBe(0);
    expect(totalCountOf({ 'x-total-count': 'many' })).toBeUndefined();
    expect(totalCountOf({})).toBeUndefined();
  });
});
