// The scaffolder's inputs end up in XML and in a TypeScript test that `npm test` runs: hostile text is refused,
// and what is accepted is escaped so it stays data.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { scaffold, scaffoldProblem, tsString, type ScaffoldInput } from '../../src/docs/scaffold.js';

const base: ScaffoldInput = { name: 'getThing', method: 'GET', path: '/api/now/thing/{sysId}', description: 'Reads a thing.' };

describe('scaffold inputs', () => {
  it('refuses a path that could break out of the generated test or XML', () => {
    const hostile = [
      "/api/now/x');process.exit(7);//",
      "/api/now/x\\');require('child_process')",
      '/api/now/`${process.exit(7)}`',
      '/api/now/x"/><call method="DELETE" path="/',
      '/api/now/<x>',
      '/api/now/x\n',
      '/api/now/x y',
      '/api/now/x?sysparm_limit=1',
      '/api/now/{unclosed',
      '/api/now/%zz',
      'api/now/x',
      '/',
    ];
    for (const path of hostile) {
      expect(scaffoldProblem({ ...base, path }), path).toMatch(/^--path must be/);
      expect(() => scaffold({ ...base, path }), path).toThrow(/new-operation: --path must be/);
    }
  });

  it('accepts the shapes REST paths have', () => {
    for (const path of ['/api/now/table/{tableName}', '/api/now/attachment/{sysId}/file', '/api/sn_sc/servicecatalog/items/{sys_id}/order_now', '/api/x/v1/a:b@c;d=e,f+g', '/api/x/a%20b/{id}.json/']) {
      expect(scaffoldProblem({ ...base, path }), path).toBeUndefined();
    }
  });

  it('refuses a bad name or method, and control characters in the description', () => {
    expect(scaffoldProblem({ ...base, name: "x');//" })).toMatch(/lowerCamelCase/);
    expect(scaffoldProblem({ ...base, method: 'FETCH' as ScaffoldInput['method'] })).toMatch(/--method/);
    expect(scaffoldProblem({ ...base, description: 'two\nlines' })).toMatch(/control characters/);
  });

  it('keeps a description with markup as text in the operation XML', () => {
    const description = 'Reads </description><call method="DELETE" path="/x"/> & "quotes" <!-- -->';
    const files = scaffold({ ...base, description });
    const parsed = new XMLParser({ ignoreAttributes: false, processEntities: true }).parse(files.operation.content) as { template: { description: string; call: unknown } };
    expect(parsed.template.description).toBe(description);
    expect(parsed.template.call).toMatchObject({ '@_method': 'GET', '@_path': base.path });
  });

  it('writes TypeScript string literals that read back as the same text', () => {
    for (const text of ["it's", 'back\\slash', 'line\nbreak\r', '${x}`', '\u2028\u2029', "');process.exit(7);//"]) {
      const literal = tsString(text);
      expect(new Function(`return ${literal};`)()).toBe(text);
    }
    expect(scaffold(base).test.content).toContain("h.conn.prepare('getThing', { sysId: '00000000000000000000000000000000' })");
  });
});
