// The descriptor format already carries the all-pages paging mode and the create-once guard; both are
// checked at load like everything else.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';
import { copyCatalogue, type TempCatalogue } from './temp-catalogue.js';

let temp: TempCatalogue;
beforeEach(() => {
  temp = copyCatalogue();
});
afterEach(() => temp.remove());

describe('paging and idempotency declarations', () => {
  it('getRecords declares its all-pages mode: keyset by default, its switches and the wire names', async () => {
    const catalogue = await loadCatalogue();
    expect(catalogue.find('getRecords')!.descriptor.paging).toMatchObject({
      next: 'keyset',
      records: 'result',
      defaultPageSize: 1000,
      allPagesFrom: 'all',
      maxRecordsFrom: 'maxRecords',
      pageSizeFrom: 'pageSize',
      strategyFrom: 'pagingStrategy',
      sinceFrom: 'since',
      queryParameter: 'sysparm_query',
      offsetQuery: 'sysparm_offset',
      limitQuery: 'sysparm_limit',
      noCountQuery: 'sysparm_no_count',
      linkHeader: 'Link',
      keyField: 'sys_id',
      watermarkField: 'sys_updated_on',
    });
  });

  it('loads a paging switch and cap bound to declared parameters', async () => {
    temp.edit('operations/getRecords.xml', '  <call method="GET"', '  <parameter name="allPages" type="boolean"/>\n  <parameter name="cap" type="integer" minimum="1"/>\n  <call method="GET"');
    temp.edit('operations/getRecords.xml', 'allPagesFrom="all" maxRecordsFrom="maxRecords"', 'allPagesFrom="allPages" maxRecordsFrom="cap"');
    const catalogue = await loadCatalogue(temp.dir);
    expect(catalogue.find('getRecords')!.descriptor.paging).toMatchObject({ allPagesFrom: 'allPages', maxRecordsFrom: 'cap' });
  });

  it('rejects a paging switch that is not a parameter', async () => {
    temp.edit('operations/getRecords.xml', 'allPagesFrom="all"', 'allPagesFrom="allPages"');
    await expect(loadCatalogue(temp.dir)).rejects.toMatchObject({
      code: 'DESCRIPTOR_ERROR',
      message: expect.stringMatching(/^operations\/getRecords\.xml:\d+: 'allPages' is not a parameter of getRecords$/),
    });
  });

  it('loads a create-once guard whose lookup operation and query parameter exist (postRecord declares one)', async () => {
    const catalogue = await loadCatalogue(temp.dir);
    expect(catalogue.find('postRecord')!.descriptor.idempotency).toEqual({ fieldFrom: 'idempotencyField', lookup: 'getRecords', queryParameter: 'sysparmQuery' });
  });

  it('rejects a create-once guard whose lookup operation does not exist', async () => {
    temp.edit('operations/postRecord.xml', 'lookup="getRecords"', 'lookup="findRecords"');
    await expect(loadCatalogue(temp.dir)).rejects.toMatchObject({
      code: 'DESCRIPTOR_ERROR',
      message: 'operations/postRecord.xml: <idempotency lookup="findRecords"> names no operation of the catalogue',
    });
  });
});
