// Registry resources of a WSO2 MI project (src/main/wso2mi/resources/registry/conf|gov/...): files such as the JSON
// or XML Schemas a <validate> names by `conf:/schema/StockQuoteSchema.json`, the way MI's file-based registry serves
// them (MI_HOME/registry/config and governance). Each becomes a text resource under its registry key.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const REGISTRY = join('src', 'main', 'wso2mi', 'resources', 'registry');
/** The configuration and governance registries, as folders and as key prefixes. */
const ROOTS = ['conf', 'gov'] as const;
/** Registry metadata, not resources. */
const SKIP = new Set(['artifact.xml', 'pom.xml']);

export interface RegistryResource {
  /** `conf:schema/a.json`: the registry, then the path under it (see mediation/resource-key.ts). */
  key: string;
  file: string;
  text: string;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else if (e.isFile() && !SKIP.has(e.name)) out.push(full);
  }
  return out;
}

/** The registry resources of the MI project folders among `paths` (none for files and other folders). */
export async function discoverRegistryResources(paths: readonly string[]): Promise<RegistryResource[]> {
  const out: RegistryResource[] = [];
  for (const path of paths) {
    const base = join(path, REGISTRY);
    if (!(await stat(base).catch(() => undefined))?.isDirectory()) continue;
    for (const prefix of ROOTS) {
      const root = join(base, prefix);
      for (const file of await filesUnder(root)) {
        out.push({ key: `${prefix}:${relative(root, file).split(sep).join('/')}`, file, text: await readFile(file, 'utf8') });
      }
    }
  }
  return out;
}
