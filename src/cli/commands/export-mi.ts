// `snconnect export-mi [--out DIR]`: writes WSO2 MI tooling files generated from the catalogue,
// uischema/<operation>.json (the operation forms) and outputschema/<operation>.json (the expression hints).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadCatalogue } from '../../catalogue/index.js';
import { miFiles } from '../../docs/index.js';
import { ConnectorError } from '../../errors.js';
import { parseCommandLine, type CommandLine } from '../args.js';
import { printError } from './cli-support.js';


const USAGE = `Usage: snconnect export-mi [--out DIR] [--catalogue DIR]
  Writes DIR/uischema/<operation>.json (MI's form for each operation and for the connection) and
  DIR/outputschema/<operation>.json (JSON Schema of payload, attributes.statusCode and headers). DIR defaults to ./mi.
  The package keeps a copy under mi/, checked by \`snconnect docs --check\`.
`;

const OPTIONS = { out: { type: 'string' }, catalogue: { type: 'string' } } as const;

export async function run(args: string[]): Promise<number> {
  let values: CommandLine<typeof OPTIONS>['values'];
  try {
    const parsed = parseCommandLine('export-mi', args, OPTIONS);
    if (parsed.positionals.length > 0) throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `export-mi: unexpected argument '${parsed.positionals[0]}'` });
    values = parsed.values;
  } catch (err) {
    printError(err);
    process.stderr.write(USAGE);
    return 1;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const catalogue = await loadCatalogue(values.catalogue);
    const out = values.out ?? 'mi';
    const files = miFiles(catalogue);
    for (const file of files) {
      const target = join(out, file.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    process.stdout.write(`snconnect export-mi: wrote ${files.length} files under ${out} (uischema/, outputschema/)\n`);
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  }
}
