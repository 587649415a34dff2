// Entry point of the `snconnect` command: dispatches to one module per sub-command.
// Each sub-command lives in src/cli/commands/<name>.ts and exports `run(args): Promise<number>`.

type CommandModule = { run(args: string[]): Promise<number>; summary: string };

// Loaded lazily so that `snconnect invoke` does not pay for the simulator or the mediation engine.
const commands: Record<string, () => Promise<CommandModule>> = {
  simulator: () => import('./commands/simulator.js'),
  invoke: () => import('./commands/invoke.js'),
  operations: () => import('./commands/operations.js'),
  validate: () => import('./commands/validate.js'),
  run: () => import('./commands/run.js'),
  serve: () => import('./commands/serve.js'),
  store: () => import('./commands/store.js'),
  demo: () => import('./commands/demo.js'),
  // Catalogue tooling (issue 7).
  docs: () => import('./commands/docs.js'),
  'new-operation': () => import('./commands/new-operation.js'),
  // Web explorer and WSO2 MI tooling files (issue 13).
  'export-mi': () => import('./commands/export-mi.js'),
  explorer: () => import('./commands/explorer.js'),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await usage());
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`snconnect: unknown command '${name}'\n${await usage()}`);
    return 1;
  }
  try {
    return await (await load()).run(rest);
  } catch (err) {
    // Last resort: a command should report its own errors; never print a stack with secrets in it.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`snconnect ${name}: ${message}\n`);
    return 1;
  }
}

async function usage(): Promise<string> {
  const lines = ['Usage: snconnect <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(commands)) {
    lines.push(`  ${name.padEnd(12)} ${(await load()).summary}`);
  }
  return lines.join('\n') + '\n';
}
