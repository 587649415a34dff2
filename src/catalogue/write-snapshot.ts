// `node dist/src/catalogue/write-snapshot.js [--file <snapshot.json>] [dir]`: writes the catalogue snapshot that
// makes cold starts fast (snapshot.ts). Without arguments, the package's own catalogue into dist/ (run by the build).
import { writeCatalogueSnapshot } from './snapshot-writer.js';

const args = process.argv.slice(2);
const at = args.indexOf('--file');
const file = at >= 0 ? args.splice(at, 2)[1] : undefined;
const dir = args[0];

try {
  const written = await writeCatalogueSnapshot({ ...(dir !== undefined ? { dir } : {}), ...(file !== undefined ? { file } : {}) });
  process.stdout.write(`catalogue snapshot written: ${written}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
