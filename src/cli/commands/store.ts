// `snconnect store list|peek|requeue|purge`: an operator's look into the message stores the artifacts define
// (the same files and folders `snconnect serve` reads), e.g. to move dead-lettered messages back.
import { loadArtifacts } from '../../artifacts/index.js';
import { ConnectorError } from '../../errors.js';
import { loadConnector } from '../../invoke/index.js';
import { redact } from '../../logger.js';
import { StoreRegistry, listStores, peekStore, requeueMessages, storeArtifactsOf } from '../../store/index.js';
import { parseCommandLine } from '../args.js';
import { printError, printJson } from './cli-support.js';


const USAGE = `Usage: snconnect store <action> [<store>] <path>... [options]
  list <path>...                      every message store: backend, depth (waiting), in flight
  peek <store> <path>...              the first messages, without taking them (--limit N, default 10)
  requeue <store> <path>...           move messages (e.g. from a dead-letter store) back to the store each came
                                      from, or --to <store>; --limit N (default: all)
  purge <store> <path>... --yes       delete every waiting message of the store
  <path>                              artifact files, folders or WSO2 MI projects, as for snconnect serve
`;

const OPTIONS = {
  limit: { type: 'string' },
  to: { type: 'string' },
  yes: { type: 'boolean' },
} as const;

export async function run(args: string[]): Promise<number> {
  let registry: StoreRegistry | undefined;
  try {
    const { values, positionals } = parseCommandLine('store', args, OPTIONS);
    const [action, ...rest] = positionals;
    if (values.help || !action) {
      (values.help ? process.stdout : process.stderr).write(USAGE);
      return values.help ? 0 : 1;
    }
    if (!['list', 'peek', 'requeue', 'purge'].includes(action)) throw invalid('action', `'${action}' is not one of list, peek, requeue, purge`);
    const name = action === 'list' ? undefined : rest[0];
    const paths = action === 'list' ? rest : rest.slice(1);
    if (action !== 'list' && !name) throw invalid('store', `${action} needs the name of a store`);
    if (paths.length === 0) throw invalid('path', `${action} needs the artifact files or folders that define the stores`);
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw invalid('--limit', `must be a whole number above 0, not '${values.limit}'`);

    const connector = await loadConnector();
    // Lenient: a flow that does not load must not keep an operator from the queues.
    const artifacts = await loadArtifacts(paths, { connector, lenient: true });
    registry = new StoreRegistry(storeArtifactsOf(artifacts).stores);
    if (name !== undefined) registry.config(name);

    switch (action) {
      case 'list': {
        const rows = await listStores(registry);
        if (rows.length === 0) process.stderr.write('no message stores are defined in the given paths\n');
        for (const r of rows) {
          process.stdout.write(r.error ? `${r.name.padEnd(28)} ${r.kind.padEnd(9)} unavailable: ${r.error}\n` : `${r.name.padEnd(28)} ${r.kind.padEnd(9)} depth ${r.depth}  in flight ${r.inFlight}\n`);
        }
        return rows.some((r) => r.error) ? 1 : 0;
      }
      case 'peek':
        printJson(redact(await peekStore(registry, name!, limit ?? 10)));
        return 0;
      case 'requeue': {
        const moved = await requeueMessages(registry, name!, { ...(values.to ? { to: values.to } : {}), limit: limit ?? Number.MAX_SAFE_INTEGER });
        const total = Object.values(moved).reduce((a, b) => a + b, 0);
        process.stdout.write(`moved ${total} message(s) from '${name}'${total > 0 ? `: ${Object.entries(moved).map(([to, n]) => `${n} to '${to}'`).join(', ')}` : ''}\n`);
        return 0;
      }
      default: {
        if (!values.yes) throw invalid('--yes', `purge deletes every waiting message of '${name}'; add --yes to confirm`);
        const n = await (await registry.get(name!)).purge();
        process.stdout.write(`purged ${n} message(s) from '${name}'\n`);
        return 0;
      }
    }
  } catch (err) {
    printError(err);
    return 1;
  } finally {
    await registry?.closeAll();
  }
}

function invalid(parameter: string, problem: string): ConnectorError {
  return new ConnectorError({ code: 'INVALID_PARAMETER', parameter, message: `store: ${parameter} ${problem}` });
}
