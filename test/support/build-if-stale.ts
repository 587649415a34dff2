// Vitest global setup: the CLI tests spawn bin/snconnect.js, which runs dist/. When anything the build reads
// (src/, bench/, the catalogue, tsconfig.json) is newer than the last build, build first (`npm run build`), so
// `npx vitest run test/cli` after an edit or a rebase never tests yesterday's code. A failing build fails the run.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Written last by `npm run build` (after tsc), so its time is the build's. */
export const BUILD_STAMP = 'dist/src/catalogue/catalogue.snapshot.json';
export const BUILD_INPUTS = ['src', 'bench', 'operations', 'templates', 'connector.xml', 'tsconfig.json'];

/** Inputs (relative paths) modified after the stamp, or every input when there is no stamp. */
export function staleInputs(root: string, stamp: string = BUILD_STAMP, inputs: readonly string[] = BUILD_INPUTS): string[] {
  const stampPath = join(root, stamp);
  const built = existsSync(stampPath) ? statSync(stampPath).mtimeMs : -Infinity;
  const stale: string[] = [];
  const visit = (relative: string): void => {
    const path = join(root, relative);
    if (!existsSync(path)) return;
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(relative, name));
    } else if (info.mtimeMs > built) stale.push(relative);
  };
  for (const input of inputs) visit(input);
  return stale;
}

export default function setup(): void {
  const stale = staleInputs(ROOT);
  if (stale.length === 0) return;
  process.stderr.write(`dist/ is older than ${stale.length} file(s) (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}): npm run build\n`);
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const out = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the build before the tests failed:\n${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}`);
  }
}
