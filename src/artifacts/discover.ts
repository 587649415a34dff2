// Which XML files a path means: a file is itself; a WSO2 MI project folder means its artifact folders
// (src/main/wso2mi/artifacts/... for MI 4.x projects, src/main/synapse-config/... for Integration Studio ones);
// any other folder means every .xml file below it (build and metadata files left out).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConnectorError } from '../errors.js';

const PROJECT_LAYOUTS = [join('src', 'main', 'wso2mi', 'artifacts'), join('src', 'main', 'synapse-config')];
/** Files of a project that are not Synapse artifacts. */
const NOT_ARTIFACTS = new Set(['pom.xml', 'artifact.xml', 'artifacts.xml', '.project', '.classpath']);

export async function discoverArtifactFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: 'path', message: `serve: no such file or folder '${path}'` });
    if (info.isFile()) {
      out.push(path);
      continue;
    }
    let root = path;
    for (const layout of PROJECT_LAYOUTS) {
      const candidate = join(path, layout);
      if ((await stat(candidate).catch(() => undefined))?.isDirectory()) {
        root = candidate;
        break;
      }
    }
    out.push(...(await xmlFilesUnder(root)));
  }
  return [...new Set(out)];
}

async function xmlFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'target') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await xmlFilesUnder(full)));
    else if (entry.isFile() && entry.name.endsWith('.xml') && !NOT_ARTIFACTS.has(entry.name)) out.push(full);
  }
  return out;
}
