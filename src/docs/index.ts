// Generated artefacts of the catalogue: docs/operations.md, src/types/operations.ts and the WSO2 MI
// uischema/outputschema files under mi/.
import { join } from 'node:path';
import type { Catalogue } from '../catalogue/index.js';
import { operationsMarkdown } from './markdown.js';
import { operationTypes } from './typescript.js';
import { miFiles } from './mi-export.js';

export { operationsMarkdown } from './markdown.js';
export { operationTypes } from './typescript.js';
export { miFiles, type MiFile } from './mi-export.js';

/** Folder (relative to the catalogue folder) of the committed WSO2 MI tooling files (snconnect export-mi). */
export const MI_EXPORT_DIR = 'mi';

export interface GeneratedFile {
  /** Path relative to the catalogue (package) folder. */
  path: string;
  content: string;
}

/** Every generated file, in a fixed order; the same catalogue always gives the same bytes. */
export function generatedFiles(catalogue: Catalogue): GeneratedFile[] {
  return [
    { path: join('docs', 'operations.md'), content: operationsMarkdown(catalogue) },
    { path: join('src', 'types', 'operations.ts'), content: operationTypes(catalogue) },
    ...miFiles(catalogue).map((f) => ({ path: join(MI_EXPORT_DIR, f.path), content: f.content })),
  ];
}
