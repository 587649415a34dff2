// `snconnect validate [dir]`: loads a catalogue folder with every check the runtime applies at start.
import { loadCatalogue } from '../../catalogue/index.js';
import { ConnectorError } from '../../errors.js';
import { parseCommandLine } from '../args.js';
import { RUNTIME_NAMES } from '../../invoke/index.js';
import { printError } from './cli-support.js';


export async function run(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine('validate', args, {});
    if (values.help) {
      process.stdout.write('Usage: snconnect validate [dir]\n  Loads the catalogue folder (default: the package\'s own) with every check the runtime applies at start.\n');
      return 0;
    }
    if (positionals.length > 1) throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `validate: expected at most one folder, got '${positionals[1]}' too` });
    const dir = positionals[0];
    const catalogue = await loadCatalogue(dir, RUNTIME_NAMES);
    const count = catalogue.operations.length;
    process.stdout.write(`ok: ${catalogue.name} ${catalogue.version}, init + ${count} operation${count === 1 ? '' : 's'}\n`);
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  }
}
