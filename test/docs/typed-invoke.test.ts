// The generated operation types make invoke() compiler-checked: compiles small programs with the TypeScript
// compiler API and checks which lines are errors. The programs import the package as its users do, through the
// declarations in dist/ (npm test builds first), and are compiled together in one program: type-checking src/ from
// source for each of them took most of this file's time.
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

const cases = new Map<string, string>();
let program: ts.Program | undefined;

/** The compiler's messages for `source`, compiled in the one program made of every case registered below. */
function diagnostics(source: string): string[] {
  const file = cases.get(source)!;
  program ??= ts.createProgram([...cases.values()], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function registerCase(source: string): string {
  const file = join(dir, `case${cases.size}.ts`);
  writeFileSync(file, source);
  cases.set(source, file);
  return source;
}

const header = `import { loadConnector, typedConnection } from '../../dist/src/index.js';
const sn = await loadConnector();
const conn = typedConnection(sn.connect({ serviceNowInstanceURL: 'http://127.0.0.1:1', username: 'u', password: 'p' }));
`;

const correctCalls = registerCase(
  header +
    `await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 5, sysparmDisplayValue: 'all', strictQuery: true });
await conn.invoke('getRecords', { tableName: 'incident', KeyValuePairs: 'active=true' });
await conn.invoke('putRecordById', { tableName: 'incident', sysId: 'x', payload: { urgency: '2' } });
await conn.invoke('getTableSchema', { tableName: 'incident' });
conn.prepare('deleteRecord', { tableName: 'incident', sysId: 'x' });
conn.stream('getRecords', { tableName: 'incident', partitions: 16 });
conn.stream('getRecords', { tableName: 'incident', partitions: 'auto' });
conn.bulk('postRecord', [{ payload: { short_description: 'a' } }], { params: { tableName: 'incident' } });
`,
);

const wrongCalls = registerCase(
  header +
    `await conn.invoke('getRecords', { tableName: 'incident', sysparmLimt: 5 });
await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 'five' });
await conn.invoke('getRecords', { tableName: 'incident', sysparmDisplayValue: 'yes' });
await conn.invoke('getRecordById', { tableName: 'incident' });
await conn.invoke('getRecordz', { tableName: 'incident' });
conn.stream('getRecords', { tableName: 'incident', partitions: 'many' });
`,
);

describe('typedConnection', () => {
  it('accepts correct calls, aliases and WSO2 names', () => {
    expect(diagnostics(correctCalls)).toEqual([]);
  }, 60_000);

  it('rejects a misspelled parameter, a wrong value type, a bad enum value, a missing required one, an unknown operation and a word a number parameter does not take', () => {
    const errors = diagnostics(wrongCalls);
    expect(errors).toHaveLength(6);
    expect(errors[0]).toContain('sysparmLimt');
    expect(errors[1]).toContain("'string' is not assignable to type 'number'");
    expect(errors[2]).toContain('"yes"');
    expect(errors[3]).toContain('sysId');
    expect(errors[4]).toContain('getRecordz');
    expect(errors[5]).toContain('"many"');
  }, 60_000);
});
