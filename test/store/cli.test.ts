// `snconnect store list|peek|requeue|purge`, run as an operator runs it, on an on-disk store in a temporary folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { StoreRegistry, toStoredMessage, type MessageStoreConfig } from '../../src/store/index.js';

const root = join(import.meta.dirname, '..', '..');
let dir: string;
let stores: MessageStoreConfig[];

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'commands', 'store.js'))) {
    spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'ignore' });
  }
  dir = await mkdtemp(join(tmpdir(), 'snc-store-cli-'));
  const db = join(dir, 'stores.db');
  await writeFile(
    join(dir, 'stores.xml'),
    `<definitions>
  <messageStore name="work" class="disk"><parameter name="store.disk.path">${db}</parameter></messageStore>
  <messageStore name="dead" class="disk"><parameter name="store.disk.path">${db}</parameter></messageStore>
</definitions>`,
  );
  stores = [
    { name: 'work', className: 'disk', parameters: { 'store.disk.path': db } },
    { name: 'dead', className: 'disk', parameters: { 'store.disk.path': db } },
  ];
  const registry = new StoreRegistry(stores);
  const dead = await registry.get('dead');
  for (const n of [1, 2, 3]) {
    const m = toStoredMessage(new MessageContext({ payload: { n }, properties: { password: 'hunter2' } }));
    m.properties['snconnect.origin.store'] = 'work';
    m.properties['snconnect.failure'] = 'HTTP 503';
    m.properties['snconnect.attempts'] = 4;
    await dead.store(m);
  }
  await registry.closeAll();
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'snconnect.js'), 'store', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('snconnect store', () => {
  it('lists, peeks (secrets masked), requeues dead letters to their store, and purges only with --yes', async () => {
    const list = await cli(['list', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/dead\s+disk\s+depth 3 {2}in flight 0/);
    expect(list.stdout).toMatch(/work\s+disk\s+depth 0/);

    const peek = await cli(['peek', 'dead', dir, '--limit', '2']);
    expect(peek.code).toBe(0);
    const messages = JSON.parse(peek.stdout) as { payload: { n: number }; properties: Record<string, unknown> }[];
    expect(messages.map((m) => m.payload.n)).toEqual([1, 2]);
    expect(messages[0].properties['snconnect.failure']).toBe('HTTP 503');
    expect(peek.stdout).not.toContain('hunter2');

    const requeue = await cli(['requeue', 'dead', dir]);
    expect(requeue.stdout).toBe("moved 3 message(s) from 'dead': 3 to 'work'\n");
    const registry = new StoreRegistry(stores);
    const [first] = await (await registry.get('work')).peek(1);
    expect(first.properties['snconnect.attempts']).toBe(4); // a create tried before is looked up before it is sent again
    expect(first.properties['snconnect.failure']).toBeUndefined();
    await registry.closeAll();

    const refused = await cli(['purge', 'work', dir]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ code: 'INVALID_PARAMETER', message: "store: --yes purge deletes every waiting message of 'work'; add --yes to confirm" });
    const purged = await cli(['purge', 'work', dir, '--yes']);
    expect(purged.stdout).toBe("purged 3 message(s) from 'work'\n");
  });
});
