// `snconnect new-operation` on a copy of the catalogue: the files it writes load, render and are documented.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConnector } from '../../src/invoke/index.js';
import { copyCatalogue } from '../catalogue/temp-catalogue.js';
import { runCli } from '../cli/run-cli.js';

const copy = copyCatalogue();
afterAll(() => copy.remove());

describe('snconnect new-operation', () => {
  it('scaffolds a read: operation file, connector.xml line, docs entry and test skeleton; the result loads and renders', async () => {
    const res = await runCli(['new-operation', 'getUserRoles', '--method', 'GET', '--path', '/api/now/table/sys_user_has_role/{sysId}', '--description', 'Reads one role assignment.', '--catalogue', copy.dir]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('operations/getUserRoles.xml');
    expect(copy.read('connector.xml')).toContain('<operation name="getUserRoles" template="operations/getUserRoles.xml"/>');
    expect(copy.read('docs/operations.md')).toContain('## getUserRoles\n\nReads one role assignment.');
    const skeleton = copy.read('test/operations/getUserRoles.test.ts');
    expect(skeleton).toContain("h.conn.prepare('getUserRoles'");
    expect(skeleton).toContain(`expect(request.path).toBe('/api/now/table/sys_user_has_role/${'0'.repeat(32)}')`);

    const connector = await loadConnector({ dir: copy.dir });
    const conn = connector.connect({ serviceNowInstanceURL: 'http://127.0.0.1:9', username: 'u', password: 'p' });
    try {
      const req = conn.prepare('getUserRoles', { sysId: 'a'.repeat(32) });
      expect(req).toMatchObject({ method: 'GET', path: `/api/now/table/sys_user_has_role/${'a'.repeat(32)}` });
      expect(() => conn.prepare('getUserRoles', { sysId: 'not-an-id' })).toThrow(/sysId/);
    } finally {
      await conn.close();
    }
  });

  it('scaffolds a write with a body template built by the JSON helpers', async () => {
    const res = await runCli(['new-operation', 'postComment', '--method', 'post', '--path', '/api/now/table/{tableName}', '--catalogue', copy.dir]);
    expect(res.code).toBe(0);
    expect(copy.read('templates/postComment.json.hbs')).toContain('{{json (merge payload)}}');
    const connector = await loadConnector({ dir: copy.dir });
    const conn = connector.connect({ serviceNowInstanceURL: 'http://127.0.0.1:9', username: 'u', password: 'p' });
    try {
      const req = conn.prepare('postComment', { tableName: 'incident', payload: { comments: 'He said "hi"' } });
      expect(req).toMatchObject({ method: 'POST', idempotent: false, body: '{"comments":"He said \\"hi\\""}' });
    } finally {
      await conn.close();
    }
  });

  it('refuses an existing name, a bad method or path, and leaves the catalogue unchanged', async () => {
    const before = copy.read('connector.xml');
    for (const args of [
      ['getRecords', '--method', 'GET', '--path', '/api/now/table/x'],
      ['getThing', '--method', 'FETCH', '--path', '/api/now/x'],
      ['getThing', '--method', 'GET', '--path', 'api/now/x'],
      ['Bad-Name', '--method', 'GET', '--path', '/api/now/x'],
      ['getThing', '--method', 'GET', '--path', "/api/now/x');process.exit(7);//"],
    ]) {
      const res = await runCli(['new-operation', ...args, '--catalogue', copy.dir]);
      expect(res.code).toBe(1);
      expect(JSON.parse(res.stderr).message).toMatch(/^new-operation: /);
    }
    expect(copy.read('connector.xml')).toBe(before);
    expect(existsSync(join(copy.dir, 'operations', 'getThing.xml'))).toBe(false);
    expect(readFileSync(join(copy.dir, 'connector.xml'), 'utf8')).toBe(before);
  });

  it('--query writes fixed, optional and templated query values; a templated value is refused with query syntax', async () => {
    const res = await runCli(['new-operation', 'getGroupByName', '--method', 'GET', '--path', '/api/now/table/sys_user_group', '--query', 'sysparm_query=name={groupName}^active=true', '--query', 'sysparm_fields={fields}', '--query', 'sysparm_limit=1', '--catalogue', copy.dir]);
    expect(res.code).toBe(0);
    const op = copy.read('operations/getGroupByName.xml');
    expect(op).toContain('<query name="sysparm_query" template="name={{groupName}}^active=true"/>');
    expect(op).toContain('<query name="sysparm_fields" from="fields"/>');
    expect(op).toContain('<query name="sysparm_limit" value="1"/>');
    expect(copy.read('test/operations/getGroupByName.test.ts')).toContain("h.conn.prepare('getGroupByName', { groupName: 'example' })");
    const connector = await loadConnector({ dir: copy.dir });
    const conn = connector.connect({ serviceNowInstanceURL: 'http://127.0.0.1:9', username: 'u', password: 'p' });
    try {
      expect(conn.prepare('getGroupByName', { groupName: 'Network' }).query).toEqual([['sysparm_query', 'name=Network^active=true'], ['sysparm_limit', '1']]);
      expect(() => conn.prepare('getGroupByName', { groupName: 'x^NQactive=false' })).toThrow(/'groupName' is placed inside an encoded query/);
    } finally {
      await conn.close();
    }
  });

  it('refuses a --query that is not name=value, a malformed placeholder, and --from-curl beside --path', async () => {
    for (const args of [
      ['getThing', '--method', 'GET', '--path', '/api/now/x', '--query', 'novalue'],
      ['getThing', '--method', 'GET', '--path', '/api/now/x', '--query', 'q=a={{b}}'],
      ['getThing', '--path', '/api/now/x', '--from-curl', "curl 'https://x.example/api/now/x'"],
      ['getThing', '--from-curl', "wget 'https://x.example/api/now/x'"],
    ]) {
      const res = await runCli(['new-operation', ...args, '--catalogue', copy.dir]);
      expect(res.code).toBe(1);
      expect(JSON.parse(res.stderr).message).toMatch(/^new-operation: /);
    }
    expect(existsSync(join(copy.dir, 'operations', 'getThing.xml'))).toBe(false);
  });
});
