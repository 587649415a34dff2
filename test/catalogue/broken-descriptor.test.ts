// A broken catalogue fails at load with DESCRIPTOR_ERROR naming the file, the line where possible and what was expected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';
import { ConnectorError } from '../../src/errors.js';
import { copyCatalogue, type TempCatalogue } from './temp-catalogue.js';

let temp: TempCatalogue;
beforeEach(() => {
  temp = copyCatalogue();
});
afterEach(() => temp.remove());

async function loadError(): Promise<ConnectorError> {
  const err = await loadCatalogue(temp.dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  expect((err as ConnectorError).code).toBe('DESCRIPTOR_ERROR');
  return err as ConnectorError;
}

function lineOf(file: string, text: string): number {
  const lines = temp.read(file).split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  expect(index).toBeGreaterThanOrEqual(0);
  return index + 1;
}

describe('broken descriptors', () => {
  it('reports an XML syntax error with its line', async () => {
    temp.edit('operations/getRecordById.xml', '<call method="GET"', '<call method="GET" <oops');
    const err = await loadError();
    expect(err.message).toMatch(/^operations\/getRecordById\.xml:\d+: not well-formed XML/);
  });

  it('names an unexpected attribute of a parameter and its line', async () => {
    temp.edit('operations/getRecords.xml', '<parameter name="sysparmLimit" type="integer"', '<parameter name="sysparmLimit" requred="true" type="integer"');
    const err = await loadError();
    const line = lineOf('operations/getRecords.xml', 'requred="true"');
    expect(err.message).toBe(`operations/getRecords.xml:${line}: <parameter> has an unexpected attribute or element 'requred'`);
  });

  it('lists the allowed types when a parameter type is unknown', async () => {
    temp.edit('operations/getRecords.xml', '<parameter name="sysparmOffset" type="integer"', '<parameter name="sysparmOffset" type="int"');
    const err = await loadError();
    const line = lineOf('operations/getRecords.xml', 'type="int"');
    expect(err.message).toBe(
      `operations/getRecords.xml:${line}: attribute type of <parameter> must be one of string, integer, number, boolean, json, binary, encodedQuery (found 'int')`,
    );
  });

  it('rejects a query that takes its value from an undeclared parameter', async () => {
    temp.edit('operations/getRecords.xml', '<query name="sysparm_view" from="sysparmView"/>', '<query name="sysparm_view" from="sysparmVeiw"/>');
    const err = await loadError();
    const line = lineOf('operations/getRecords.xml', 'from="sysparmVeiw"');
    expect(err.message).toBe(`operations/getRecords.xml:${line}: <query from="sysparmVeiw"> names no parameter of getRecords`);
  });

  it('rejects a query with both from and value', async () => {
    temp.edit('operations/getRecords.xml', '<query name="sysparm_view" from="sysparmView"/>', '<query name="sysparm_view" from="sysparmView" value="x"/>');
    const err = await loadError();
    expect(err.message).toContain('operations/getRecords.xml:');
    expect(err.message).toContain('<query> needs exactly one of: from | value | template | part + join');
  });

  it('rejects a template variable that is not a parameter of the operation', async () => {
    temp.edit('templates/record.json.hbs', 'category=category', 'category=categroy');
    const err = await loadError();
    expect(err.message).toMatch(/^templates\/record\.json\.hbs: reads 'categroy', which is not a parameter of (postRecord|putRecord|patchRecord)/);
  });

  it('rejects an unknown Handlebars helper with its line', async () => {
    temp.edit('templates/record.json.hbs', '{{json (merge', '{{json (mrege');
    const err = await loadError();
    expect(err.message).toMatch(/^templates\/record\.json\.hbs:\d+: unknown helper 'mrege'/);
  });

  it('names the operation file that does not exist', async () => {
    temp.edit('connector.xml', 'operations/getRecordById.xml', 'operations/getRecordByID.xml');
    const err = await loadError();
    const line = lineOf('connector.xml', 'getRecordByID.xml');
    expect(err.message).toBe(`connector.xml:${line}: refers to 'operations/getRecordByID.xml', which does not exist`);
  });

  it('names the body template that does not exist', async () => {
    temp.edit('operations/postRecord.xml', 'template="record.json.hbs"', 'template="recrd.json.hbs"');
    const err = await loadError();
    expect(err.message).toMatch(/^operations\/postRecord\.xml:\d+: refers to 'templates\/recrd\.json\.hbs', which does not exist/);
  });

  it('refuses a file reference that leaves the catalogue folder', async () => {
    temp.edit('connector.xml', 'operations/getRecordById.xml', '../outside.xml');
    const err = await loadError();
    expect(err.message).toContain("must stay inside the catalogue folder");
  });

  it('rejects an operation name or alias used twice', async () => {
    temp.edit('connector.xml', '<alias name="patchRecordById"/>', '<alias name="putRecordById"/>');
    const err = await loadError();
    expect(err.message).toMatch(/^connector\.xml:\d+: operation name or alias 'putRecordById' is used twice/);
  });

  it('rejects a template whose name differs from connector.xml', async () => {
    temp.edit('operations/deleteRecord.xml', '<template name="deleteRecord">', '<template name="removeRecord">');
    const err = await loadError();
    expect(err.message).toContain(`<template name="removeRecord"> but connector.xml lists it as 'deleteRecord'`);
  });

  it('rejects a path placeholder bound to an optional parameter', async () => {
    temp.edit('operations/getRecordById.xml', '<parameter name="sysId" required="true"', '<parameter name="sysId"');
    const err = await loadError();
    expect(err.message).toContain('path placeholder {sysId} must be a required parameter');
  });

  it('rejects a pattern that is not a regular expression', async () => {
    temp.edit('operations/getRecordById.xml', 'pattern="^[0-9a-f]{32}$"', 'pattern="^[0-9a-f{32}$"');
    const err = await loadError();
    const line = lineOf('operations/getRecordById.xml', 'name="sysId"');
    expect(err.message).toMatch(new RegExp(`^operations/getRecordById\\.xml:${line}: parameter 'sysId':`));
  });

  it('rejects a default that does not satisfy its own enum', async () => {
    temp.edit('operations/init.xml', 'enum="basic oauth2" default="basic"', 'enum="basic oauth2" default="digest"');
    const err = await loadError();
    expect(err.message).toMatch(/^operations\/init\.xml:\d+: parameter 'authType': default 'digest' is not a valid value/);
  });

  it('rejects a connection setting taken from an undeclared parameter', async () => {
    temp.edit('operations/init.xml', '<setting name="proxyUrl" from="proxyUrl"/>', '<setting name="proxyUrl" from="proxy"/>');
    const err = await loadError();
    expect(err.message).toMatch(/^operations\/init\.xml:\d+: <setting name="proxyUrl"> takes from 'proxy', which is not a parameter of init/);
  });

  it('fails with DESCRIPTOR_ERROR when the folder has no connector.xml', async () => {
    temp.write('connector.xml', '');
    const err = await loadError();
    expect(err.message).toMatch(/^connector\.xml/);
  });
});
