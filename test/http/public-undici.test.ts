// undici's files under lib/ are internal and may move within ^7. Only src/http/undici-modules.ts reaches into them,
// and it falls back to the public entry when one is missing or changed shape; no prototype is patched anywhere.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const LOADER = join(SRC, 'http', 'undici-modules.ts');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('undici', () => {
  it('is reached inside only by the loader with a fallback, and no prototype is patched', () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      if (file !== LOADER && /['"]undici\/[^'"]+['"]/.test(text)) offenders.push(`${file}: imports a path inside undici`);
      if (/Object\.assign\(\s*[\w.]+\.prototype|\.prototype\.\w+\s*=(?!=)/.test(text)) offenders.push(`${file}: assigns to a prototype`);
    }
    expect(offenders).toEqual([]);
  });
});
