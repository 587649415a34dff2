// `snconnect docs`: writes docs/operations.md and src/types/operations.ts from the catalogue (npm run docs);
// with --check, changes nothing and exits 1 when a committed copy is stale (for CI).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadCatalogue } from '../../catalogue/index.js';
import { generatedFiles } from '../../docs/index.js';
import { parseCommandLine } from '../args.js';
import { printError } from './cli-support.js';


const USAGE = `Usage: snconnect docs [--check] [--catalogue DIR] [--out DIR]
  Writes docs/operations.md and src/types/operations.ts (under --out, default the catalogue folder).
  --check   write nothing; exit 1 and name the files that differ from what the catalogue generates.
`;

export async function run(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine('docs', args, { check: { type: 'boolean' }, catalogue: { type: 'string' }, out: { type: 'string' } });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 0) {
      process.stderr.write(`snconnect docs: unexpected argument '${positionals[0]}'\n${USAGE}`);
      return 1;
    }
    const catalogue = await loadCatalogue(values.catalogue);
    const out = values.out ?? catalogue.dir;
    const check = values.check === true;
    const stale: string[] = [];
    for (const file of generatedFiles(catalogue)) {
      const target = join(out, file.path);
      const current = await readFile(target, 'utf8').catch(() => undefined);
      if (current === file.content) continue;
      stale.push(file.path);
      if (check) continue;
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    if (check) {
      if (stale.length === 0) return 0;
      process.stderr.write(`snconnect docs: out of date: ${stale.join(', ')} (run npm run docs and commit the result)\n`);
      return 1;
    }
    process.stdout.write(stale.length === 0 ? 'snconnect docs: up to date\n' : `snconnect docs: wrote ${stale.join(', ')}\n`);
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  }
}
