// The generated operation types make invoke() compiler-checked: compiles small programs with the TypeScript
// compiler API and checks which lines are errors.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCatalogueDir } from '../../src/catalogue/index.js';

const root = defaultCatalogueDir();
// Inside the package (in its git-ignored scratch folder) so that imports of src/ resolve as for the source itself.
mkdirSync(join(root, '.snconnect-tmp'), { recursive: true });
const dir = mkdtempSync(join(root, '.snconnect-tmp', 'typed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function diagnostics(source: string): string[] {
  const file = join(dir, `case${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const header = `import { loadConnector, typedConnection } from '../../src/index.js';
const sn = await loadConnector();
const conn = typedConnection(sn.connect({ serviceNowInstanceURL: 'http://127.0.0.1:1', username: 'u', password: 'p' }));
`;

describe('typedConnection', () => {
  it('accepts correct calls, aliases and WSO2 names', () => {
    const errors = diagnostics(
      header +
        `await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 5, sysparmDisplayValue: 'all', strictQuery: true });
await conn.invoke('getRecords', { tableName: 'incident', KeyValuePairs: 'active=true' });
await conn.invoke('putRecordById', { tableName: 'incident', sysId: 'x', payload: { urgency: '2' } });
await conn.invoke('getTableSchema', { tableName: 'incident' });
conn.prepare('deleteRecord', { tableName: 'incident', sysId: 'x' });
`,
    );
    expect(errors).toEqual([]);
  }, 60_000);

  it('rejects a misspelled parameter, a wrong value type, a bad enum value, a missing required one and an unknown operation', () => {
    const errors = diagnostics(
      header +
        `await conn.invoke('getRecords', { tableName: 'incident', sysparmLimt: 5 });
await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 'five' });
await conn.invoke('getRecords', { tableName: 'incident', sysparmDisplayValue: 'yes' });
await conn.invoke('getRecordById', { tableName: 'incident' });
await conn.invoke('getRecordz', { tableName: 'incident' });
`,
    );
    expect(errors).toHaveLength(5);
    expect(errors[0]).toContain('sysparmLimt');
    expect(errors[1]).toContain("'string' is not assignable to type 'number'");
    expect(errors[2]).toContain('"yes"');
    expect(errors[3]).toContain('sysId');
    expect(errors[4]).toContain('getRecordz');
  }, 60_000);
});
