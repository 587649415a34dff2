// `snconnect simulator`: runs the local ServiceNow simulator until SIGINT/SIGTERM.
import { CliOptionError, SIMULATOR_USAGE, parseSimulatorArgs, sampleCurl } from '../../simulator/cli-options.js';
import { DEMO_CLIENT, DEMO_USERS, startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/index.js';
import { untilStopSignal } from '../stop-signal.js';


/** Starts the simulator from command-line flags and returns it with the banner to print. */
export async function startFromArgs(args: string[]): Promise<{ sim: RunningSimulator; banner: string } | { help: string }> {
  const parsed = parseSimulatorArgs(args);
  if (parsed.help) return { help: SIMULATOR_USAGE };
  const started = Date.now();
  const sim = await startSimulator(parsed.options);
  return { sim, banner: banner(sim, parsed.options, Date.now() - started) };
}

export async function run(args: string[]): Promise<number> {
  let result;
  try {
    result = await startFromArgs(args);
  } catch (err) {
    if (err instanceof CliOptionError) {
      process.stderr.write(`snconnect simulator: ${err.message}\n${SIMULATOR_USAGE}`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(`snconnect simulator: cannot listen (${code}); choose another --port\n`);
      return 1;
    }
    throw err;
  }
  if ('help' in result) {
    process.stdout.write(result.help);
    return 0;
  }
  const { sim } = result;
  process.stdout.write(result.banner);
  await untilStopSignal();
  await sim.close();
  process.stdout.write('simulator stopped\n');
  return 0;
}

function banner(sim: RunningSimulator, options: SimulatorOptions, startMs: number): string {
  const generated = Object.entries(options.generate ?? {}).map(([t, n]) => `${t}+${n}`);
  const lines = [
    `ServiceNow simulator listening on ${sim.url}  (seed ${options.seed ?? 1}, started in ${startMs} ms${generated.length ? `, generated ${generated.join(', ')}` : ''})`,
    '',
    'Demo users (Basic auth):',
    ...DEMO_USERS.map((u) => `  ${u.userName} / ${u.password}${u.restricted ? '   restricted: row ACL hides some task rows, no admin tables' : '   full access'}`),
    `OAuth client: client_id=${DEMO_CLIENT.clientId} client_secret=${DEMO_CLIENT.clientSecret}  (grants: ${DEMO_CLIENT.grants.join(', ')}) at ${sim.url}/oauth_token.do`,
    `Admin endpoint: ${sim.url}/__sim/config | /__sim/stats | /__sim/concurrency | /__sim/requests | POST /__sim/generate?table=incident&count=N`,
    ...(sim.certificatePath ? [`TLS certificate: ${sim.certificatePath}  (trust it: NODE_EXTRA_CA_CERTS=${sim.certificatePath})`] : []),
    '',
    'Try:',
    `  ${sampleCurl(sim.url, sim.certificatePath)}`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ];
  return lines.join('\n');
}
