// Every optional parameter reaches ServiceNow under its sysparm_* name, and encoded queries arrive intact.
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf, useSimulator } from './support.js';

const h = useSimulator();
beforeEach(() => h.sim.clearRequests());

const SYS_ID = '0123456789abcdef0123456789abcdef';

async function sentQuery(operation: string, params: Record<string, unknown>): Promise<Record<string, string>> {
  h.sim.clearRequests();
  await h.conn.invoke(operation, params).catch(() => undefined);
  const requests = h.apiRequests();
  expect(requests).toHaveLength(1);
  return requests[0]!.query;
}

describe('optional parameters reach the right sysparm_* query parameter', () => {
  it('getRecords', async () => {
    const query = await sentQuery('getRecords', {
      tableName: 'incident',
      sysparmQuery: 'active=true',
      sysparmDisplayValue: 'all',
      sysparmExcludeReferenceLink: 'true',
      sysparmFields: 'number,short_description',
      sysparmView: 'desktop',
      sysparmLimit: '5',
      sysparmOffset: '10',
      sysparmReadReplicaCategory: 'reporting',
      sysparmQueryCategory: 'list',
      sysparmQueryNoDomain: true,
      sysparmNoCount: 'false',
      sysparmSuppressPaginationHeader: false,
    });
    expect(query).toEqual({
      sysparm_query: 'active=true',
      sysparm_display_value: 'all',
      sysparm_exclude_reference_link: 'true',
      sysparm_fields: 'number,short_description',
      sysparm_view: 'desktop',
      sysparm_limit: '5',
      sysparm_offset: '10',
      sysparm_read_replica_category: 'reporting',
      sysparm_query_category: 'list',
      sysparm_query_no_domain: 'true',
      sysparm_no_count: 'false',
      sysparm_suppress_pagination_header: 'false',
    });
  });

  it('getRecords with nothing optional sends no query parameter at all', async () => {
    expect(await sentQuery('getRecords', { tableName: 'incident' })).toEqual({});
  });

  it('getRecordById', async () => {
    const query = await sentQuery('getRecordById', {
      tableName: 'incident',
      sysId: SYS_ID,
      sysparmDisplayValue: 'true',
      sysparmExcludeReferenceLink: true,
      sysparmFields: 'number',
      sysparmView: 'mobile',
      sysparmQueryNoDomain: 'true',
    });
    expect(query).toEqual({
      sysparm_display_value: 'true',
      sysparm_exclude_reference_link: 'true',
      sysparm_fields: 'number',
      sysparm_view: 'mobile',
      sysparm_query_no_domain: 'true',
    });
  });

  it.each(['postRecord', 'putRecord', 'patchRecord'])('%s', async (operation) => {
    const sysId = h.sim.db.insert('incident', { short_description: 'x' })['sys_id']!;
    const query = await sentQuery(operation, {
      tableName: 'incident',
      ...(operation === 'postRecord' ? {} : { sysId }),
      shortDescription: 'y',
      sysparmDisplayValue: 'false',
      sysparmExcludeReferenceLink: 'true',
      sysparmFields: 'number,short_description',
      sysparmView: 'both',
      sysparmInputDisplayValue: 'true',
      sysparmSuppressAutoSysField: 'true',
    });
    expect(query).toEqual({
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
      sysparm_fields: 'number,short_description',
      sysparm_view: 'both',
      sysparm_input_display_value: 'true',
      sysparm_suppress_auto_sys_field: 'true',
    });
  });

  it('deleteRecord', async () => {
    const sysId = h.sim.db.insert('incident', { short_description: 'x' })['sys_id']!;
    expect(await sentQuery('deleteRecord', { tableName: 'incident', sysId, sysparmQueryNoDomain: true })).toEqual({ sysparm_query_no_domain: 'true' });
  });

  it('getAggregateRecord', async () => {
    const query = await sentQuery('getAggregateRecord', {
      tableName: 'incident',
      sysparmQuery: 'active=true',
      sysparmCount: 'true',
      sysparmAvgFields: 'priority',
      sysparmMinFields: 'priority,urgency',
      sysparmMaxFields: 'priority',
      sysparmSumFields: 'reassignment_count',
      sysparmGroupBy: 'category',
      sysparmHaving: 'count^priority^>^3',
      sysparmOrderBy: 'COUNT',
      sysparmDisplayValue: 'true',
      sysparmQueryNoDomain: false,
    });
    expect(query).toEqual({
      sysparm_query: 'active=true',
      sysparm_count: 'true',
      sysparm_avg_fields: 'priority',
      sysparm_min_fields: 'priority,urgency',
      sysparm_max_fields: 'priority',
      sysparm_sum_fields: 'reassignment_count',
      sysparm_group_by: 'category',
      sysparm_having: 'count^priority^>^3',
      sysparm_order_by: 'COUNT',
      sysparm_display_value: 'true',
      sysparm_query_no_domain: 'false',
    });
  });

  it('postRecordsStagingTable', async () => {
    const query = await sentQuery('postRecordsStagingTable', {
      tableNameStaging: 'u_incident_import',
      records: '[{"u_short_description":"q"}]',
      multiImportSetId: SYS_ID,
      runAfter: 'fedcba9876543210fedcba9876543210',
    });
    expect(query).toEqual({ multi_import_set_id: SYS_ID, run_after: 'fedcba9876543210fedcba9876543210' });
  });

  it('keyValuePairs (and the WSO2 spelling KeyValuePairs) are ANDed in front of sysparmQuery', async () => {
    expect(await sentQuery('getRecords', { tableName: 'incident', keyValuePairs: 'priority=1&active=true', sysparmQuery: 'category=network^ORcategory=software' })).toEqual({
      sysparm_query: 'priority=1^active=true^category=network^ORcategory=software',
    });
    const res = await h.conn.invoke('getRecords', { tableName: 'incident', KeyValuePairs: 'priority=1&active=true' });
    expect(h.apiRequests().at(-1)!.query).toEqual({ sysparm_query: 'priority=1^active=true' });
    expect(rowsOf(res.payload)).toHaveLength(h.sim.db.count('incident', 'priority=1^active=true'));
  });
});

describe('encoded queries reach ServiceNow intact', () => {
  it('keeps ^, &, =, %, +, # and unicode in the query and matches the stored text exactly', async () => {
    const text = 'a&b=c %41 50% + #x ü✓ 日本';
    const sysId = h.sim.db.insert('incident', { short_description: text })['sys_id']!;
    h.sim.db.insert('incident', { short_description: 'a' });
    const sysparmQuery = `short_description=${text}^active=true^ORactive=false`;
    h.sim.clearRequests();
    const res = await h.conn.invoke('getRecords', { tableName: 'incident', sysparmQuery, sysparmFields: 'sys_id,short_description' });
    expect(h.apiRequests()[0]!.query['sysparm_query']).toBe(sysparmQuery);
    expect(rowsOf(res.payload)).toEqual([{ sys_id: sysId, short_description: text }]);
  });

  it('a value cannot inject another query parameter', async () => {
    h.sim.clearRequests();
    await h.conn.invoke('getRecords', { tableName: 'incident', sysparmQuery: 'active=true&sysparm_limit=1', sysparmReadReplicaCategory: 'x&sysparm_view=mobile#y' });
    expect(h.apiRequests()[0]!.query).toEqual({ sysparm_query: 'active=true&sysparm_limit=1', sysparm_read_replica_category: 'x&sysparm_view=mobile#y' });
  });
});
