// Generated artefacts of the catalogue: docs/operations.md and src/types/operations.ts.
import { join } from 'node:path';
import type { Catalogue } from '../catalogue/index.js';
import { operationsMarkdown } from './markdown.js';
import { operationTypes } from './typescript.js';

export { operationsMarkdown } from './markdown.js';
export { operationTypes } from './typescript.js';

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
  ];
}
