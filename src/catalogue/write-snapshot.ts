// `node dist/src/catalogue/write-snapshot.js [--file <snapshot.json>] [dir]`: writes the catalogue snapshot that
// makes cold starts fast (snapshot.ts). Without arguments (run by the build): the package's own catalogue, and the
// generated descriptor-format checkers that speed up the full load of any folder, both into dist/.
import { writeCatalogueSnapshot, writeFormatCheckers } from './snapshot-writer.js';

const args = process.argv.slice(2);
const at = args.indexOf('--file');
const file = at >= 0 ? args.splice(at, 2)[1] : undefined;
const dir = args[0];

try {
  // The format checkers first: they do not depend on the catalogue, so a broken catalogue still gets them.
  if (dir === undefined && file === undefined) process.stdout.write(`descriptor-format checkers written: ${writeFormatCheckers()}\n`);
  const written = await writeCatalogueSnapshot({ ...(dir !== undefined ? { dir } : {}), ...(file !== undefined ? { file } : {}) });
  process.stdout.write(`catalogue snapshot written: ${written}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
