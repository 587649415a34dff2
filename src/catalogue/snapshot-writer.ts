// Writes a catalogue snapshot (snapshot.ts): a full load with every check, then the descriptors, the hashes of the
// files they came from and ajv's generated code for every parameter validator, as one JSON file. Run at build
// time for the package's own catalogue (write-snapshot.ts); never at runtime unless asked.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Ajv as AjvType, AnySchema, Options as AjvOptions, ValidateFunction } from 'ajv';
import { DESCRIPTOR_AJV_OPTIONS } from './check-schema.js';
import { defaultCatalogueDir } from './default-dir.js';
import { connectorFileSchema, operationFileSchema } from './descriptor-schema.js';
import { loadCheckedCatalogue } from './load.js';
import { PARAMETER_AJV_OPTIONS, validatorSchema } from './parameters.js';
import { hashText, loaderFingerprint, packageFormatFile, packageSnapshotFile, SNAPSHOT_FORMAT, type CatalogueSnapshot } from './snapshot.js';

const require = createRequire(import.meta.url);

export interface WriteSnapshotOptions {
  /** Catalogue folder (default: the package's own). */
  dir?: string;
  /** Snapshot file to write; required for any folder but the package's own (whose snapshot goes under dist/). */
  file?: string;
}

/** Loads `dir` with every check and writes its snapshot; returns the file written. Fails as the load would. */
export async function writeCatalogueSnapshot(options: WriteSnapshotOptions = {}): Promise<string> {
  const dir = options.dir ?? defaultCatalogueDir();
  const file = options.file ?? (resolve(dir) === defaultCatalogueDir() ? packageSnapshotFile() : undefined);
  if (!file) throw new Error(`writeCatalogueSnapshot: say where to write the snapshot of ${dir} (option file); it is never written into a catalogue folder by default`);
  writeJson(file, await makeSnapshot(dir));
  return file;
}

/**
 * Writes the generated checkers of the descriptor format, which any folder's full load uses instead of compiling
 * the format's schema when they come from the same code (check-schema.ts). Returns the file written.
 */
export function writeFormatCheckers(file: string = packageFormatFile()): string {
  writeJson(file, { code: loaderFingerprint(), ...formatCheckersCode() });
  return file;
}

/** ajv's standalone code of the descriptor format's two checkers, with the options check-schema.ts compiles them with. */
export function formatCheckersCode(): { operation: string; connector: string } {
  const { ajv, standaloneCode } = sourceKeepingAjv(DESCRIPTOR_AJV_OPTIONS);
  return {
    operation: standaloneCode(ajv, ajv.compile(operationFileSchema)),
    connector: standaloneCode(ajv, ajv.compile(connectorFileSchema)),
  };
}

function sourceKeepingAjv(options: AjvOptions): { ajv: AjvType; standaloneCode: (ajv: AjvType, validate: ValidateFunction) => string } {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const standaloneCode = (require('ajv/dist/standalone') as { default: (ajv: AjvType, validate: ValidateFunction) => string }).default;
  // code.source: ajv keeps the code it generates, which standaloneCode prints.
  return { ajv: new Ajv({ ...options, code: { source: true } }), standaloneCode };
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  // Written aside and renamed, so a process loading the catalogue meanwhile never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(value));
  renameSync(partial, file);
}

export async function makeSnapshot(dir: string): Promise<CatalogueSnapshot> {
  const { catalogue, header, texts, templateVariables } = await loadCheckedCatalogue(dir);
  // The same options as the runtime's validators.
  const { ajv, standaloneCode } = sourceKeepingAjv(PARAMETER_AJV_OPTIONS);

  const operations: CatalogueSnapshot['operations'] = {};
  for (const op of [catalogue.init, ...catalogue.operations]) {
    const schema = validatorSchema(op.parameters) as AnySchema;
    operations[op.descriptor.file] = { descriptor: op.descriptor, validator: standaloneCode(ajv, ajv.compile(schema)) };
  }
  const paths = [...texts.keys()].sort((a, b) => (a === 'connector.xml' ? -1 : b === 'connector.xml' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return {
    format: SNAPSHOT_FORMAT,
    code: loaderFingerprint(),
    files: Object.fromEntries(paths.map((p) => [p, hashText(texts.get(p)!)])),
    connector: header,
    operations,
    templates: Object.fromEntries([...templateVariables].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}
