// `snconnect new-operation <name> --method GET --path '/api/now/...'`: scaffolds an operation file, a body template
// for writes, its connector.xml line, its docs entry (docs/operations.md regenerated) and a test skeleton.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadCatalogue, type HttpMethod } from '../../catalogue/index.js';
import { generatedFiles } from '../../docs/index.js';
import { scaffold, scaffoldProblem } from '../../docs/scaffold.js';
import { parseCurl } from '../../docs/scaffold-curl.js';
import type { ScaffoldQuery } from '../../docs/scaffold-query.js';
import { ConnectorError } from '../../errors.js';
import { defaultCatalogueDir } from '../../catalogue/index.js';
import { keyValue, parseCommandLine } from '../args.js';
import { RUNTIME_NAMES } from '../../invoke/index.js';
import { printError } from './cli-support.js';


const USAGE = `Usage: snconnect new-operation <name> --method GET|POST|PUT|PATCH|DELETE --path '/api/now/...' [--query NAME=VALUE ...] [--description TEXT] [--catalogue DIR]
       snconnect new-operation <name> --from-curl 'curl "https://<instance>/api/now/...?..." ...' [--query NAME=VALUE ...] [--description TEXT] [--catalogue DIR]
  Writes operations/<name>.xml (path placeholders {x} become required parameters), templates/<name>.json.hbs for
  writes, adds the operation to connector.xml, regenerates docs/operations.md and writes test/operations/<name>.test.ts.
  --query NAME=VALUE   a query parameter: fixed text, {param} (an optional parameter), or text around {param}
                       placeholders, e.g. 'query=user_name={userName}' (a <query template>; see
                       docs/catalogue-format.md for the encoded-query rule). Repeatable.
  --from-curl LINE     method, path and query read from a pasted curl line: sys_id segments, query parameters and
                       field=value conditions become parameters. Credentials in the line are never written.
`;

const OPTIONS = {
  method: { type: 'string' },
  path: { type: 'string' },
  query: { type: 'string', multiple: true },
  'from-curl': { type: 'string' },
  description: { type: 'string' },
  catalogue: { type: 'string' },
} as const;

export async function run(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine('new-operation', args, OPTIONS);
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const name = positionals[0];
    const bad = (message: string) => new ConnectorError({ code: 'INVALID_PARAMETER', operation: 'new-operation', message: `new-operation: ${message}` });
    if (!name || positionals.length > 1) throw bad(`expected one operation name, e.g. new-operation getAttachmentMetadata --method GET --path '/api/now/attachment/{sysId}'`);
    let method = (values.method ?? '').toUpperCase() as HttpMethod;
    let path = values.path ?? '';
    let queries: ScaffoldQuery[] = [];
    let examples: Record<string, string> = {};
    const curl = values['from-curl'];
    if (curl !== undefined) {
      if (values.method !== undefined || values.path !== undefined) throw bad('give either --from-curl or --method and --path, not both');
      try {
        ({ method, path, queries, examples } = parseCurl(curl));
      } catch (err) {
        throw bad((err as Error).message);
      }
    }
    for (const q of values.query ?? []) {
      const [queryName, value] = keyValue('new-operation', q, '--query');
      queries.push({ name: queryName, value });
    }
    const description = values.description ?? `TODO: what ${name} does (${method} ${path}).`;
    const input = { name, method, path, description, queries, examples };
    const problem = scaffoldProblem(input);
    if (problem !== undefined) throw bad(problem);

    const dir = values.catalogue ?? defaultCatalogueDir();
    const catalogue = await loadCatalogue(dir);
    if (catalogue.find(name) || catalogue.init.descriptor.name === name) throw bad(`operation '${name}' already exists in ${join(dir, 'connector.xml')}`);
    const files = scaffold(input);
    const outputs = [files.operation, ...(files.template ? [files.template] : []), files.test];
    for (const f of outputs) if (existsSync(join(dir, f.path))) throw bad(`${f.path} already exists; remove it or choose another name`);

    const connectorPath = join(dir, 'connector.xml');
    const connectorBefore = await readFile(connectorPath, 'utf8');
    const end = connectorBefore.lastIndexOf('</connector>');
    if (end < 0) throw bad('connector.xml has no closing </connector>');
    const written: string[] = [];
    try {
      for (const f of outputs) {
        await mkdir(dirname(join(dir, f.path)), { recursive: true });
        await writeFile(join(dir, f.path), f.content, { flag: 'wx' });
        written.push(f.path);
      }
      await writeFile(connectorPath, connectorBefore.slice(0, end) + files.connectorLine + '\n' + connectorBefore.slice(end));
      // The new catalogue must load with every check before anything is reported as done.
      const updated = await loadCatalogue(dir, RUNTIME_NAMES);
      for (const g of generatedFiles(updated)) {
        // The types file belongs to the package's own source tree; other catalogues get the docs only.
        if (g.path.endsWith('.ts') && !existsSync(join(dir, g.path))) continue;
        await mkdir(dirname(join(dir, g.path)), { recursive: true });
        await writeFile(join(dir, g.path), g.content);
        written.push(g.path);
      }
    } catch (err) {
      await writeFile(connectorPath, connectorBefore);
      for (const f of outputs) if (written.includes(f.path)) await rm(join(dir, f.path), { force: true });
      throw err;
    }
    process.stdout.write(
      [`new-operation: created ${name} (${method} ${path})`, ...written.map((f) => `  ${f}`), '  connector.xml (one line added)', '',
        'Next: fill in the TODO descriptions and patterns, add <query> parameters, run `npm run docs`,',
        `and try it with: snconnect invoke ${name} ... --dry-run (see CONTRIBUTING.md).`, ''].join('\n'),
    );
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  }
}
