export { loadCatalogue, type Catalogue, type CompiledOperation, type LoadCatalogueOptions } from './load.js';
export { writeCatalogueSnapshot, type WriteSnapshotOptions } from './snapshot-writer.js';
export { defaultCatalogueDir } from './default-dir.js';
export { toText, type RenderedCall, type CallRenderer } from './compile-call.js';
export type { CompiledParameters } from './parameters.js';
export type { ResultBuilderShape, ResultBuilderShapes } from './steps.js';
export type * from './types.js';
