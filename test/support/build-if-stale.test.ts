// The global setup that rebuilds dist/ before the tests when a source is newer than the last build.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { staleInputs } from './build-if-stale.js';

const root = mkdtempSync(join(tmpdir(), 'snconnect-stale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, secondsAgo: number): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), 'x');
  const at = Date.now() / 1000 - secondsAgo;
  utimesSync(join(root, path), at, at);
}

describe('staleInputs', () => {
  it('everything is stale before the first build', () => {
    file('src/a.ts', 100);
    expect(staleInputs(root, 'dist/stamp', ['src'])).toEqual(['src/a.ts']);
  });

  it('nothing is stale after a build; an edited source is', () => {
    file('src/cli/b.ts', 100);
    file('operations/op.xml', 100);
    file('dist/stamp', 50);
    expect(staleInputs(root, 'dist/stamp', ['src', 'operations', 'missing'])).toEqual([]);
    file('src/cli/b.ts', 10);
    expect(staleInputs(root, 'dist/stamp', ['src', 'operations'])).toEqual([join('src', 'cli', 'b.ts')]);
  });
});
