// The committed docs/operations.md and src/types/operations.ts must be what the catalogue generates
// (CI fails here when someone changes an operation and forgets `npm run docs`).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCatalogueDir, loadCatalogue } from '../../src/catalogue/index.js';
import { generatedFiles } from '../../src/docs/index.js';
import { copyCatalogue } from '../catalogue/temp-catalogue.js';
import { runCli } from '../cli/run-cli.js';

const root = defaultCatalogueDir();
const temp = mkdtempSync(join(tmpdir(), 'snconnect-docs-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('generated files', () => {
  it('the committed copies are up to date (run `npm run docs` and commit when this fails)', async () => {
    const catalogue = await loadCatalogue();
    for (const file of generatedFiles(catalogue)) {
      const committed = readFileSync(join(root, file.path), 'utf8');
      expect(committed, `${file.path} is stale: run npm run docs`).toBe(file.content);
    }
  });

  it('are the same bytes on every run', async () => {
    const a = generatedFiles(await loadCatalogue()).map((f) => f.content);
    const b = generatedFiles(await loadCatalogue()).map((f) => f.content);
    expect(a).toEqual(b);
  });

  it('document every operation, parameter, REST mapping and an example', async () => {
    const catalogue = await loadCatalogue();
    const md = generatedFiles(catalogue)[0]!.content;
    for (const op of [catalogue.init, ...catalogue.operations]) {
      expect(md).toContain(`## ${op.descriptor.name}\n`);
      for (const p of op.descriptor.parameters) expect(md).toContain(`| \`${p.name}\` |`);
    }
    expect(md).toContain('`GET /api/now/table/{tableName}`');
    expect(md).toContain('| query `sysparm_query` | `keyValuePairs` (split on `&`) joined with `^`, `sysparmQuery` |');
    expect(md).toContain('snconnect invoke getRecordById tableName=incident sysId=');
    expect(md).toContain('<servicenow.postRecord>\n  <tableName>incident</tableName>\n</servicenow.postRecord>');
  });

  it('a changed operation makes `snconnect docs --check` fail; `snconnect docs` then writes both files', async () => {
    const copy = copyCatalogue();
    try {
      copy.edit('operations/getRecords.xml', 'Retrieves records of a table', 'Reads records of a table');
      const out = join(temp, 'changed');
      const missing = await runCli(['docs', '--check', '--catalogue', copy.dir, '--out', out]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('docs/operations.md');
      const written = await runCli(['docs', '--catalogue', copy.dir, '--out', out]);
      expect(written.code).toBe(0);
      expect(readFileSync(join(out, 'docs', 'operations.md'), 'utf8')).toContain('Reads records of a table');
      expect((await runCli(['docs', '--check', '--catalogue', copy.dir, '--out', out])).code).toBe(0);
      // The package's own files are untouched by a run on another catalogue.
      expect(readFileSync(join(root, 'docs', 'operations.md'), 'utf8')).not.toContain('Reads records of a table');
    } finally {
      copy.remove();
    }
  });
});
