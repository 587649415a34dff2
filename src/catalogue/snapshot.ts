// A catalogue snapshot: the descriptors of a catalogue as the full load produced them (parsed, schema-checked,
// cross-checked), the generated code of every parameter validator, and a hash of every file they came from.
// Written ahead (at build time, snapshot-writer.ts), it lets a cold start skip XML parsing, the descriptor
// schema, ajv and Handlebars (~150 ms of the first request on a small machine).
//
// A snapshot is used only when it matches exactly: same catalogue files (by content) and same loader code and
// library versions. Anything else (a user's edited operations/, a contributor's temp catalogue, a rebuilt loader)
// falls back to the full load, so a stale or missing snapshot changes speed, never behaviour.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { defaultCatalogueDir } from './default-dir.js';
import type { OperationDescriptor } from './types.js';

export const SNAPSHOT_FORMAT = 1;

export interface OperationRef {
  name: string;
  /** The operation file, relative to the catalogue folder. */
  template: string;
  aliases: string[];
}

/** What connector.xml declares. */
export interface ConnectorHeader {
  name: string;
  version: string;
  description: string;
  init: OperationRef;
  operations: OperationRef[];
}

export interface CatalogueSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** Fingerprint of the code that wrote it (loaderFingerprint()). */
  code: string;
  /** Hash of every file of the catalogue, by path relative to its folder, connector.xml first. */
  files: Record<string, string>;
  connector: ConnectorHeader;
  /** By operation file. validator: ajv standalone code (CommonJS) of the operation's parameter validator. */
  operations: Record<string, { descriptor: OperationDescriptor; validator: string }>;
  /** Top-level names each body template reads, by template name (templates/<name>). */
  templates: Record<string, string[]>;
}

/** A snapshot that matches its catalogue folder, with the texts of the files (for error lines and templates). */
export interface FreshSnapshot {
  snapshot: CatalogueSnapshot;
  texts: Map<string, string>;
}

const require = createRequire(import.meta.url);

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** Where the package's build writes the snapshot of the package's own catalogue. */
export function packageSnapshotFile(): string {
  return join(defaultCatalogueDir(), 'dist', 'src', 'catalogue', 'catalogue.snapshot.json');
}

/** Where the package's build writes the generated checkers of the descriptor format (check-schema.ts), for any folder. */
export function packageFormatFile(): string {
  return join(defaultCatalogueDir(), 'dist', 'src', 'catalogue', 'descriptor-format.json');
}

/** The snapshot tried when none is given: the package's own, for the package's own catalogue only. */
export function defaultSnapshotFile(dir: string): string | undefined {
  try {
    return resolve(dir) === defaultCatalogueDir() ? packageSnapshotFile() : undefined;
  } catch {
    // No package catalogue to compare with (an unusual install): no snapshot, the folder is loaded in full.
    return undefined;
  }
}

let fingerprint: string | undefined;

/**
 * Hash of this folder's code (the loader, the descriptor reader and schema, the parameter compiler) and of the
 * versions of ajv and Handlebars: a snapshot written by other code is not trusted. Run from src/ (tests) this
 * hashes the .ts files, from dist/ the .js files, so a build's snapshot is never used by changed sources.
 */
export function loaderFingerprint(): string {
  if (fingerprint) return fingerprint;
  const here = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  hash.update(`format ${SNAPSHOT_FORMAT}\0`);
  const code = readdirSync(here)
    .filter((f) => (f.endsWith('.js') || f.endsWith('.ts')) && !f.endsWith('.d.ts'))
    .sort();
  for (const file of code) hash.update(`${file}\0`).update(readFileSync(join(here, file))).update('\0');
  for (const name of ['ajv', 'handlebars']) hash.update(`${name}@${packageVersion(name)}\0`);
  return (fingerprint = hash.digest('base64'));
}

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The snapshot at `file` if it was written by this code for exactly the files now in `dir`; otherwise undefined. */
export async function readFreshSnapshot(dir: string, file: string): Promise<FreshSnapshot | undefined> {
  let snapshot: CatalogueSnapshot;
  try {
    snapshot = JSON.parse(await readFile(file, 'utf8')) as CatalogueSnapshot;
  } catch {
    return undefined;
  }
  if (!isSnapshot(snapshot) || snapshot.code !== loaderFingerprint()) return undefined;
  const paths = Object.keys(snapshot.files);
  if (paths.some((p) => isAbsolute(p) || relative(dir, join(dir, p)).startsWith('..'))) return undefined;
  let texts: string[];
  try {
    texts = await Promise.all(paths.map((p) => readFile(join(dir, p), 'utf8')));
  } catch {
    return undefined;
  }
  for (let i = 0; i < paths.length; i++) if (hashText(texts[i]!) !== snapshot.files[paths[i]!]) return undefined;
  return { snapshot, texts: new Map(paths.map((p, i) => [p, texts[i]!])) };
}

function isSnapshot(value: unknown): value is CatalogueSnapshot {
  const s = value as Partial<CatalogueSnapshot> | null;
  return (
    s !== null &&
    typeof s === 'object' &&
    s.format === SNAPSHOT_FORMAT &&
    typeof s.code === 'string' &&
    typeof s.files === 'object' &&
    s.files !== null &&
    typeof s.connector === 'object' &&
    s.connector !== null &&
    typeof s.operations === 'object' &&
    s.operations !== null &&
    typeof s.templates === 'object' &&
    s.templates !== null
  );
}

/**
 * A parameter validator from its generated code, evaluated on first use. The code is ajv's own output for the
 * same schema and options (snapshot-writer.ts), so it validates, coerces and reports errors as ajv.compile would.
 */
export function validatorFromCode(code: string): () => ValidateFunction {
  return () => {
    const module = { exports: {} as unknown };
    // ajv's standalone code is CommonJS; it may require ajv's small runtime helpers (resolved from this package).
    new Function('module', 'exports', 'require', code)(module, module.exports, require);
    return module.exports as ValidateFunction;
  };
}
