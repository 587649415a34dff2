// Entry point of the `snconnect` command: dispatches to one module per sub-command.
// Each sub-command lives in src/cli/commands/<name>.ts and exports `run(args): Promise<number>`.

import { keepWasmOnBaselineCompiler } from './one-shot-runtime.js';

type CommandModule = { run(args: string[]): Promise<number> };

// Loaded lazily so that `snconnect invoke` does not pay for the simulator or the mediation engine, and the summaries
// live here so that `snconnect --help` loads no command at all.
// `longRunning`: a process that serves until stopped keeps V8's defaults; the others are one-shot (one-shot-runtime.ts).
const commands: Record<string, { load: () => Promise<CommandModule>; summary: string; longRunning?: true }> = {
  simulator: { load: () => import('./commands/simulator.js'), summary: 'Start the local ServiceNow simulator: simulator [--port 8080] [--generate incident=N] [--fault 503=0.1] ...', longRunning: true },
  invoke: { load: () => import('./commands/invoke.js'), summary: 'Run one operation: invoke <operation> name=value ... [--dry-run] [--catalogue DIR]' },
  operations: { load: () => import('./commands/operations.js'), summary: 'List operations, or the parameters of one: operations [name] [--json] [--catalogue DIR]' },
  validate: { load: () => import('./commands/validate.js'), summary: 'Check a catalogue folder (connector.xml, operations/, templates/): validate [dir]' },
  run: { load: () => import('./commands/run.js'), summary: 'Run a sequence file: run <file.xml> [--sequence name] [--property k=v ...] [--payload file.json|-]' },
  serve: { load: () => import('./commands/serve.js'), summary: 'Serve APIs, proxies and tasks: serve <file|folder|MI project>... [--port 8290] [--host 127.0.0.1]', longRunning: true },
  store: { load: () => import('./commands/store.js'), summary: 'Message stores of your artifacts: store list|peek|requeue|purge [<store>] <path>...' },
  demo: { load: () => import('./commands/demo.js'), summary: 'Start the embedded simulator and mocks, run the example flows (what `npm start` does); --serve keeps them up', longRunning: true },
  docs: { load: () => import('./commands/docs.js'), summary: 'Generate docs/operations.md, src/types/operations.ts and mi/ (MI uischema) from the catalogue: docs [--check] [--catalogue DIR] [--out DIR]' },
  'new-operation': { load: () => import('./commands/new-operation.js'), summary: "Scaffold an operation: new-operation <name> --method GET --path '/api/now/...' [--query NAME=VALUE ...] | --from-curl 'curl ...' [--description TEXT] [--catalogue DIR]" },
  'export-mi': { load: () => import('./commands/export-mi.js'), summary: 'Write WSO2 MI uischema/ and outputschema/ files for every operation: export-mi [--out DIR] [--catalogue DIR]' },
  explorer: { load: () => import('./commands/explorer.js'), summary: 'Web explorer of the operations and flows: explorer [--port 8291] [--flows DIR] [--instance URL] [-p name=value ...]', longRunning: true },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`snconnect: unknown command '${name}'\n${usage()}`);
    return 1;
  }
  if (!command.longRunning) keepWasmOnBaselineCompiler();
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    // Last resort: a command should report its own errors; never print a stack with secrets in it.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`snconnect ${name}: ${message}\n`);
    return 1;
  }
}

function usage(): string {
  const lines = ['Usage: snconnect <command> [options]', '', 'Commands:'];
  for (const [name, { summary }] of Object.entries(commands)) lines.push(`  ${name.padEnd(12)} ${summary}`);
  return lines.join('\n') + '\n';
}
