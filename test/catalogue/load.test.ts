import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';

const OPERATIONS = [
  'getRecords',
  'getRecordById',
  'postRecord',
  'createRecords',
  'putRecord',
  'patchRecord',
  'deleteRecord',
  'getAggregateRecord',
  'postRecordStagingTable',
  'postRecordsStagingTable',
  'getRecordsStagingTable',
  'getTableSchema',
  'listTables',
  'getAttachmentMetadata',
  'listAttachments',
  'downloadAttachment',
  'uploadAttachment',
  'deleteAttachment',
  'postBatch',
  'getRecordByField',
  'listCmdbInstances',
  'getCmdbInstance',
  'createCmdbInstance',
  'updateCmdbInstance',
  'addCmdbRelations',
  'deleteCmdbRelation',
  'listCatalogItems',
  'getCatalogItem',
  'orderCatalogItem',
  'addCatalogItemToCart',
  'submitCartOrder',
  'getRequestItems',
  'createNormalChange',
  'createEmergencyChange',
  'createStandardChange',
  'getChange',
  'listChanges',
  'updateChange',
  'getChangeTasks',
  'getChangeConflicts',
  'checkChangeConflicts',
  'getChangeApprovals',
  'approveChange',
];

describe('the package catalogue', () => {
  it('loads every operation of connector.xml, in order, with init apart', async () => {
    const catalogue = await loadCatalogue();
    expect(catalogue.name).toBe('servicenow');
    expect(catalogue.init.descriptor.name).toBe('init');
    expect(catalogue.operations.map((o) => o.descriptor.name)).toEqual(OPERATIONS);
  });

  it('resolves the WSO2 connector names as aliases of the same compiled operation', async () => {
    const catalogue = await loadCatalogue();
    expect(catalogue.find('putRecordById')).toBe(catalogue.find('putRecord'));
    expect(catalogue.find('patchRecordById')).toBe(catalogue.find('patchRecord'));
    expect(catalogue.find('deleteRecordById')).toBe(catalogue.find('deleteRecord'));
    expect(catalogue.find('init')).toBeUndefined();
    expect(catalogue.find('nope')).toBeUndefined();
  });

  it('keeps the WSO2 parameter names, with KeyValuePairs accepted beside keyValuePairs', async () => {
    const catalogue = await loadCatalogue();
    const names = (op: string) => catalogue.find(op)!.parameters.list.map((p) => p.name);
    expect(names('getRecords')).toEqual(
      expect.arrayContaining([
        'tableName', 'sysparmQuery', 'sysparmDisplayValue', 'sysparmFields', 'sysparmView', 'sysparmLimit', 'sysparmOffset',
        'sysparmExcludeReferenceLink', 'sysparmReadReplicaCategory', 'keyValuePairs', 'sysparmNoCount',
        'sysparmSuppressPaginationHeader', 'sysparmQueryNoDomain',
      ]),
    );
    expect(catalogue.find('getRecords')!.parameters.lookup.get('KeyValuePairs')!.name).toBe('keyValuePairs');
    expect(names('postRecord')).toEqual(
      expect.arrayContaining(['number', 'shortDescription', 'active', 'approval', 'category', 'contactType', 'apiColumns', 'payload', 'sysparmInputDisplayValue']),
    );
    expect(names('getAggregateRecord')).toEqual(
      expect.arrayContaining(['sysparmAvgFields', 'sysparmMinFields', 'sysparmMaxFields', 'sysparmSumFields', 'sysparmCount', 'sysparmGroupBy', 'sysparmHaving', 'sysparmOrderBy']),
    );
    expect(names('postRecordStagingTable')).toEqual(['tableNameStaging', 'fields']);
    expect(names('getRecordsStagingTable')).toEqual(['tableNameStaging', 'sysIdStaging']);
    expect(catalogue.init.parameters.list.slice(0, 4).map((p) => p.name)).toEqual(['serviceNowInstanceURL', 'authType', 'username', 'password']);
  });

  it('declares every connection setting the transport understands in init, with authType basic by default', async () => {
    const catalogue = await loadCatalogue();
    const settings = catalogue.init.descriptor.connection!.map((s) => s.name);
    expect(settings).toEqual(
      expect.arrayContaining([
        'baseUrl', 'auth.type', 'auth.username', 'auth.password', 'auth.clientId', 'auth.clientSecret', 'auth.tokenUrl',
        'auth.refreshToken', 'auth.privateKey', 'auth.keyId', 'retry.maxRetries', 'timeouts.connectMs', 'timeouts.deadlineMs',
        'maxConcurrency', 'proxyUrl', 'tls.ca', 'tls.cert', 'tls.key', 'tls.rejectUnauthorized',
      ]),
    );
    expect(catalogue.init.parameters.defaults).toContainEqual({ name: 'authType', value: 'basic' });
    expect(catalogue.init.parameters.list.filter((p) => p.secret).map((p) => p.name)).toEqual(
      expect.arrayContaining(['password', 'clientSecret', 'refreshToken', 'privateKey', 'clientKey']),
    );
  });

  it('marks creates as not idempotent and reads, updates and deletes as idempotent', async () => {
    const catalogue = await loadCatalogue();
    const idempotent = Object.fromEntries(catalogue.operations.map((o) => [o.descriptor.name, o.descriptor.call?.idempotent]));
    expect(idempotent).toMatchObject({
      getRecords: true,
      postRecord: false,
      putRecord: true,
      patchRecord: true,
      deleteRecord: true,
      postRecordStagingTable: false,
      postRecordsStagingTable: false,
    });
  });
});
