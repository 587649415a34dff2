// The simulator is independent of the runtime: nothing under src/simulator imports a module outside it, and its
// request log masks secrets with its own rules.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Monitor } from '../../src/simulator/monitor.js';

const ROOT = fileURLToPath(new URL('../../src/simulator/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('src/simulator', () => {
  it('imports nothing from outside its folder', () => {
    const outside: string[] = [];
    for (const file of sources(ROOT)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)) {
        const target = resolve(dirname(file), m[1]!);
        if (relative(ROOT, target).startsWith('..')) outside.push(`${relative(ROOT, file)} -> ${m[1]}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('masks credentials in the request log', () => {
    const entry = new Monitor(10).begin({
      method: 'POST',
      path: '/oauth_token.do',
      route: 'POST /oauth_token.do',
      query: {},
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=', referer: 'http://admin:p@ss@host/' },
      body: 'grant_type=password&username=admin&password=s3cr%40t&client_secret=cs1 {"refreshToken":"rt\\"x"}',
    });
    expect(entry.headers).toEqual({ authorization: 'Basic ***', referer: 'http://admin:***@host/' });
    expect(entry.body).toBe('grant_type=password&username=admin&password=***&client_secret=*** {"refreshToken":"***"}');
  });
});
