// The package's own catalogue: the folder above this module (src/ or dist/src/) that holds connector.xml.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function defaultCatalogueDir(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'connector.xml')) && existsSync(join(dir, 'package.json'))) return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the package catalogue (connector.xml) was not found above ' + dirname(fileURLToPath(import.meta.url)));
    dir = parent;
  }
}
