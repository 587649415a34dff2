// `snconnect operations` and `snconnect validate`.
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';
import { copyCatalogue } from '../catalogue/temp-catalogue.js';
import { runCli } from './run-cli.js';

const broken = copyCatalogue();
broken.edit('operations/getRecords.xml', '<parameter name="sysparmOffset" type="integer"', '<parameter name="sysparmOffset" type="int"');
afterAll(() => broken.remove());

describe('snconnect operations', () => {
  it('lists init and every operation with its call and aliases', async () => {
    const res = await runCli(['operations']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^servicenow \d+\.\d+\.\d+/);
    expect(res.stdout).toMatch(/getRecords\s+GET \/api\/now\/table\/\{tableName\}/);
    expect(res.stdout).toMatch(/deleteRecord\s+DELETE \/api\/now\/table\/\{tableName\}\/\{sysId\} \(alias deleteRecordById\)/);
    expect(res.stdout).toContain('init');
  });

  it('describes one operation, found by its alias too', async () => {
    const res = await runCli(['operations', 'patchRecordById']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^patchRecord \(alias patchRecordById\)/);
    expect(res.stdout).toMatch(/sysId\s+string, required, pattern \^\[0-9a-f\]\{32\}\$/);
    expect(res.stdout).toMatch(/apiColumns\s+json object/);
  });

  it('--json gives the OperationInfo objects', async () => {
    const res = await runCli(['operations', 'init', '--json']);
    const info = JSON.parse(res.stdout) as { name: string; parameters: Array<{ name: string; secret?: boolean; env?: string }> };
    expect(info.name).toBe('init');
    expect(info.parameters.find((p) => p.name === 'password')).toMatchObject({ secret: true, env: 'SN_PASSWORD' });
  });

  it('an unknown operation exits 1', async () => {
    const res = await runCli(['operations', 'nope']);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr)).toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});

describe('snconnect validate', () => {
  it('accepts the package catalogue', async () => {
    const res = await runCli(['validate']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const count = (await loadCatalogue()).operations.length;
    expect(res.stdout).toMatch(new RegExp(`^ok: servicenow \\S+, init \\+ ${count} operations\n$`));
  });

  it('rejects a broken catalogue with the file, the line and what was expected', async () => {
    const res = await runCli(['validate', broken.dir]);
    expect(res.code).toBe(1);
    const err = JSON.parse(res.stderr) as { code: string; message: string };
    expect(err.code).toBe('DESCRIPTOR_ERROR');
    expect(err.message).toMatch(/^operations\/getRecords\.xml:\d+: attribute type of <parameter> must be one of string, integer, number, boolean, json, binary, encodedQuery \(found 'int'\)$/);
  });
});
