// The flow files the explorer offers: *.xml under the served folder (two levels deep), read only from inside it.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { ConnectorError } from '../errors.js';
import type { Connector } from '../invoke/types.js';
import { parseFlow, prepareFlow, type Flow } from '../mediation/index.js';
import type { FlowFileView } from './api-types.js';

const MAX_DEPTH = 2;

export async function listFlows(dir: string, connector: Connector): Promise<FlowFileView[]> {
  const files: string[] = [];
  await collect(resolve(dir), 0, files);
  const out: FlowFileView[] = [];
  for (const file of files.sort()) {
    try {
      const { flow } = parseFlow(await readFile(file, 'utf8'), relative(dir, file), connector.name);
      if (flow.sequences.size === 0) continue;
      out.push({ file: relative(dir, file).split(sep).join('/'), sequences: [...flow.sequences.keys()], ...(flow.defaultSequence ? { defaultSequence: flow.defaultSequence } : {}) });
    } catch {
      // Not a sequence file (or not XML): not offered.
    }
  }
  return out;
}

/** Parses and checks one flow file named relative to the folder; a name leaving the folder is refused. */
export async function loadFlow(dir: string, file: string, connector: Connector): Promise<Flow> {
  const root = resolve(dir);
  const path = resolve(root, file);
  if (!file.endsWith('.xml') || (path !== root && !path.startsWith(root + sep))) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: 'file', message: `explorer: '${file}' is not a flow file of the served folder` });
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', parameter: 'file', message: `explorer: cannot read flow file '${file}'` });
  }
  return prepareFlow(text, file, connector).flow;
}

async function collect(dir: string, depth: number, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isFile() && e.name.endsWith('.xml')) out.push(path);
    else if (e.isDirectory() && depth < MAX_DEPTH) await collect(path, depth + 1, out);
  }
}
