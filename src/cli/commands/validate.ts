// `snconnect validate [dir]`: loads a catalogue folder with every check the runtime applies at start.
import { loadCatalogue } from '../../catalogue/index.js';
import { parseArgs, printError } from './cli-support.js';

export const summary = 'Check a catalogue folder (connector.xml, operations/, templates/): validate [dir]';

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  const dir = parsed.positional[0];
  try {
    const catalogue = await loadCatalogue(dir);
    const count = catalogue.operations.length;
    process.stdout.write(`ok: ${catalogue.name} ${catalogue.version}, init + ${count} operation${count === 1 ? '' : 's'}\n`);
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  }
}
