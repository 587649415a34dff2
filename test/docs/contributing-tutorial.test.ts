// Runs every command of CONTRIBUTING.md's "Add a lookup operation in ten minutes", in order, as a user types them
// (the real CLI, spawned), on a copy of the catalogue and against a simulator started by the tutorial's own
// `snconnect simulator` line. A change to the tutorial or to the commands that breaks it fails here.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { shellWords } from '../../src/docs/scaffold-curl.js';
import { copyCatalogue } from '../catalogue/temp-catalogue.js';
import { runCli, type CliResult } from '../cli/run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const text = readFileSync(new URL('../../CONTRIBUTING.md', import.meta.url), 'utf8');
const section = text.slice(text.indexOf('## Add a lookup operation in ten minutes'), text.indexOf('\n## ', text.indexOf('## Add a lookup operation in ten minutes') + 3));
const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n').map((l) => l.trim()).filter((l) => l !== ''));

const copy = copyCatalogue();
let simulator: ChildProcess | undefined;
afterAll(() => {
  simulator?.kill();
  copy.remove();
});

/** Starts the tutorial's simulator line on a free port (8080 may be taken here) and returns the URL it prints. */
function startSimulatorCommand(words: string[]): Promise<string> {
  const args = words.map((w, i) => (words[i - 1] === '--port' ? '0' : w));
  simulator = spawn(process.execPath, [`${ROOT}bin/snconnect.js`, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    simulator!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    simulator!.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
}

describe('CONTRIBUTING.md: add a lookup operation in ten minutes', () => {
  it('has the commands this test knows how to check', () => {
    expect(commands.map((c) => shellWords(c).slice(0, 3).join(' '))).toEqual([
      'npx snconnect simulator',
      'export SN_INSTANCE_URL=http://127.0.0.1:8080 SN_USERNAME=admin',
      'npx snconnect new-operation',
      'npx snconnect validate',
      'npx snconnect invoke',
      'npx snconnect invoke',
      'npx snconnect invoke',
      'npm run docs',
    ]);
  });

  it('every command does what the tutorial says', async () => {
    const env: Record<string, string> = {};
    let simulatorUrl = '';
    const results: CliResult[] = [];
    for (const line of commands) {
      const words = shellWords(line);
      if (words[0] === 'export') {
        for (const pair of words.slice(1)) env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
        env['SN_INSTANCE_URL'] = simulatorUrl;
        continue;
      }
      if (words[0] === 'npx' && words[2] === 'simulator') {
        simulatorUrl = await startSimulatorCommand(words.slice(2));
        continue;
      }
      // The copy of the catalogue stands for the checkout: each command is pointed at it.
      const args = words[0] === 'npm' ? ['docs', '--catalogue', copy.dir] : words[2] === 'validate' ? [...words.slice(2), copy.dir] : [...words.slice(2), '--catalogue', copy.dir];
      results.push(await runCli(args, env));
    }
    const [scaffolded, validated, dryRun, found, injected, docs] = results;

    expect(scaffolded!.code).toBe(0);
    const op = copy.read('operations/getUserByName.xml');
    expect(op).toContain('<query name="sysparm_query" template="user_name={{userName}}"/>');
    expect(op).toContain('<parameter name="userName" required="true"');
    expect(op).toContain('<parameter name="sysparmFields" description="TODO: describe sysparmFields, e.g. user_name,name,email."/>');
    const docsEntry = copy.read('docs/operations.md').split('## getUserByName')[1]!.split('\n## ')[0]!;
    expect(op + copy.read('test/operations/getUserByName.test.ts') + docsEntry).not.toMatch(/admin:admin|dev1234/);

    expect(validated).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok: servicenow/) });
    expect(dryRun!.code).toBe(0);
    expect(JSON.parse(dryRun!.stdout)).toMatchObject({ method: 'GET', path: '/api/now/table/sys_user', query: [['sysparm_query', 'user_name=abel.tuter']] });

    expect(found!.code).toBe(0);
    expect(JSON.parse(found!.stdout).result).toEqual([{ user_name: 'abel.tuter', name: 'Abel Tuter' }]);

    expect(injected!.code).toBe(1);
    expect(JSON.parse(injected!.stderr.trim().split('\n').pop()!)).toMatchObject({ code: 'INVALID_PARAMETER', operation: 'getUserByName', parameter: 'userName' });

    expect(docs!.code).toBe(0);
    expect(copy.read('docs/operations.md')).toContain('## getUserByName\n\nFinds a user by user ID (Table API).');
    // Seven processes one after the other: the default 30 s is not enough on a loaded 2-core machine.
  }, 120_000);
});
