// auth/ and http/ do not import each other both ways: the transport imports auth and hands it a FormPoster; auth's
// settings and the poster's types live in auth/types.ts (DESIGN.md). Type-only imports count too: a cycle of types
// still ties the two folders together.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../../src/auth/', import.meta.url));

describe('src/auth imports', () => {
  it('nothing from src/http', () => {
    const found: string[] = [];
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(DIR + file, 'utf8');
      for (const m of text.matchAll(/(?:from\s+|import\(\s*)'(\.\.\/http\/[^']*)'/g)) found.push(`${file} -> ${m[1]}`);
    }
    expect(found).toEqual([]);
  });
});
