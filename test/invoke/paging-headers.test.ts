// The paging headers of a single-page call: one Link parser and one count parser (the paging engine's), reading
// the header names the operation's <paging> declares.
import { afterAll, describe, expect, it } from 'vitest';
import { countHeader, nextLink } from '../../src/paging/index.js';
import { copyCatalogue } from '../catalogue/temp-catalogue.js';
import { useSimulator } from './support.js';

describe('paging headers', () => {
  it('finds rel="next" among ServiceNow\'s comma-separated links', () => {
    const link =
      '<https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=0>;rel="first",' +
      '<https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=0>;rel="prev",' +
      '<https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=4>;rel="next",' +
      '<https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=8>;rel="last"';
    expect(nextLink(link)).toBe('https://i.example/api/now/table/incident?sysparm_limit=2&sysparm_offset=4');
  });

  it('accepts spaces, unquoted and multi-valued rel, and finds none on the last page', () => {
    expect(nextLink('<https://a/x?o=2>; rel=next')).toBe('https://a/x?o=2');
    expect(nextLink('<https://a/x?o=0>; rel="first", <https://a/y>; rel="prefetch next"')).toBe('https://a/y');
    expect(nextLink('<https://a/x?o=0>;rel="first",<https://a/x?o=8>;rel="last"')).toBeUndefined();
    expect(nextLink('<https://a/next-page>;rel="last"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });

  it('reads a count as a whole number and ignores junk', () => {
    expect(countHeader({ 'x-total-count': '42' }, 'x-total-count')).toBe(42);
    expect(countHeader({ 'x-total-count': '0' }, 'x-total-count')).toBe(0);
    for (const junk of ['many', '-1', '1.5', '', ' ', '0x10', '1e3', 'Infinity']) expect(countHeader({ 'x-total-count': junk }, 'x-total-count'), junk).toBeUndefined();
    expect(countHeader({}, 'x-total-count')).toBeUndefined();
  });
});

// The catalogue names another count header: X-Total-Count (still sent by the simulator) must not be read.
const temp = copyCatalogue();
temp.edit('operations/getRecords.xml', 'totalHeader="X-Total-Count"', 'totalHeader="X-Row-Count"');
afterAll(() => temp.remove());
const h = useSimulator({ dir: temp.dir });

describe('invoke reads the declared totalHeader', () => {
  it('not X-Total-Count by name', async () => {
    const res = await h.conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 2 });
    expect(res.headers['x-total-count']).toBeDefined();
    expect(res.totalCount).toBeUndefined();
    expect(res.nextLink).toContain('sysparm_offset=2');
  });
});
