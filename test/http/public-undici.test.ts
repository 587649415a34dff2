// undici's files under lib/ are internal and may move within ^7: the runtime uses only its public entry, and never
// patches undici's classes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('undici', () => {
  it('is imported only through its public entry, and no prototype is patched', () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      if (/['"]undici\/[^'"]+['"]/.test(text)) offenders.push(`${file}: imports a path inside undici`);
      if (/Object\.assign\(\s*[\w.]+\.prototype|\.prototype\.\w+\s*=(?!=)/.test(text)) offenders.push(`${file}: assigns to a prototype`);
    }
    expect(offenders).toEqual([]);
  });
});
