// The generic catalogue loader stands on its own: no run-time import of a layer above it (schema, invoke,
// mediation, ...). Result builders reach it through LoadCatalogueOptions.resultBuilders (DESIGN.md).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../../src/catalogue/', import.meta.url));
/** Modules of src/ the catalogue may use: the shared error type, XML limits and the number rule (leaves, no imports). */
const ALLOWED = new Set(['../errors.js', '../xml-limits.js', '../number-rule.js']);

describe('src/catalogue imports', () => {
  it('import nothing from outside the folder at run time but the shared error type, XML limits and number rule', () => {
    const outside: string[] = [];
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(DIR + file, 'utf8');
      // Static imports and exports (type-only ones are erased), and dynamic import()s.
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.\.\/[^']+)'|import\(\s*'(\.\.\/[^']+)'\s*\)/gm)) {
        const target = m[1] ?? m[2]!;
        if (!ALLOWED.has(target)) outside.push(`${file} -> ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
