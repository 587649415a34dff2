// The explorer in a real Chromium (Debian's chromium via playwright-core; one browser for the file), against the
// real runtime and the simulator over HTTP: the getRecords form, its live request preview, sending and the record
// table; a bad value flagged before anything is sent; an all-pages read streamed and downloaded; a flow run with its
// steps and fault path; the connection form; and no secret in the DOM, the network answers or the console.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExplorer, type RunningExplorer } from '../../src/explorer/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const SECRET = 'Xplr-s3cret-Pa55-9f2c';
const USER = 'explorer-user';


let sim: RunningSimulator;
let explorer: RunningExplorer;
let context: BrowserContext;
let page: Page;
const temp = mkdtempSync(join(tmpdir(), 'snconnect-explorer-'));
const responses: Promise<string>[] = [];
const consoleLines: string[] = [];

beforeAll(async () => {
  // The page's modules are compiled by `npm run build` (npm test builds first); build them when missing.
  if (!existsSync(join(ROOT, 'dist', 'src', 'explorer', 'web', 'app.js'))) {
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'src', 'explorer', 'web')], { stdio: 'ignore' });
  }
  copyFileSync(join(import.meta.dirname, 'incident-check.xml'), join(temp, 'incident-check.xml'));
  sim = await startSimulator({ port: 0, users: [{ userName: USER, password: SECRET }] });
  explorer = await startExplorer({ port: 0, connection: { serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin' }, embeddedSimulator: true, flowsDir: temp });
  context = await chromium.launchPersistentContext(join(temp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  // Every answer the page received, read once it has fully arrived.
  page.on('requestfinished', (req) => responses.push(req.response().then((r) => (r ? r.text() : ''), () => '')));
}, 60_000);

afterAll(async () => {
  await context?.close();
  await explorer?.close();
  await sim?.close();
  rmSync(temp, { recursive: true, force: true });
});

const field = (op: string, name: string) => `#op-${op}-${name}`;
const previewUrl = () => page.textContent('#preview-url');

describe('explorer in Chromium', () => {
  it('renders the operations from a warm server (first render reported, not asserted)', async () => {
    await page.goto(explorer.url);
    await page.waitForSelector('body[data-ready=true]');
    // Warm now: measure a second load, from navigation start to the operations list drawn.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    const firstRender = await page.evaluate(() => performance.getEntriesByName('explorer-rendered')[0]!.startTime);
    process.stdout.write(`explorer first render (warm server, navigation start to operations drawn): ${firstRender.toFixed(1)} ms\n`);
    expect(await page.getByRole('link', { name: 'getRecords', exact: true }).count()).toBe(1);
    expect(await page.textContent('#connection-label')).toContain('embedded simulator');
    // The search narrows the list.
    await page.fill('#search', 'attachment');
    expect(await page.getByRole('link', { name: 'getRecords', exact: true }).count()).toBe(0);
    await page.fill('#search', '');
  });

  it('the connection form: the auth type decides the fields; the password is taken and never shown again', async () => {
    await page.click('#connection-button');
    await page.fill('#init-serviceNowInstanceURL', sim.url);
    expect(await page.isVisible('#init-username')).toBe(true);
    expect(await page.isVisible('#init-clientId')).toBe(false);
    await page.selectOption('#init-authType', 'oauth2');
    expect(await page.isVisible('#init-username')).toBe(false);
    expect(await page.isVisible('#init-clientId')).toBe(true);
    await page.selectOption('#init-authType', 'basic');
    expect(await page.getAttribute('#init-password', 'type')).toBe('password');
    await page.fill('#init-username', USER);
    await page.fill('#init-password', SECRET);
    await page.click('#connect');
    await page.waitForFunction((user) => document.querySelector('#connection-label')?.textContent?.includes(user), USER);
    expect(await page.inputValue('#init-password')).toBe('');
  });

  it("getRecords: the preview follows the form, Send shows the simulator's records as a table", async () => {
    await page.goto(`${explorer.url}#op/getRecords`);
    await page.waitForSelector(field('getRecords', 'tableName'));
    await page.fill(field('getRecords', 'tableName'), 'incident');
    await page.waitForFunction(() => document.querySelector('#preview-url')?.textContent?.includes('/api/now/table/incident'));
    expect(await previewUrl()).not.toContain('sysparm_limit');
    await page.fill(field('getRecords', 'sysparmLimit'), '3');
    await page.fill(field('getRecords', 'sysparmFields'), 'number,short_description,priority');
    await page.waitForFunction(() => document.querySelector('#preview-url')?.textContent?.includes('sysparm_limit=3'));
    expect(await previewUrl()).toContain('sysparm_fields=number%2Cshort_description%2Cpriority');
    sim.clearRequests();
    await page.click('#send');
    await page.waitForSelector('table.records tbody tr');
    expect(await page.textContent('#status')).toBe('HTTP 200');
    expect(await page.locator('table.records thead th').allTextContents()).toEqual(['number', 'short_description', 'priority']);
    const numbers = await page.locator('table.records tbody tr td:first-child').allTextContents();
    expect(numbers).toHaveLength(3);
    const expected = sim.db.list('incident').slice(0, 3).map((r) => r['number']);
    expect(numbers).toEqual(expected);
    expect(sim.requests().map((r) => [r.route, r.user])).toEqual([['GET /api/now/table/{table}', USER]]);
    // The samples carry the same call; the secret is read from the environment, never written out.
    expect(await page.textContent('#sample-cli')).toContain('npx snconnect invoke getRecords tableName=incident sysparmFields=number,short_description,priority sysparmLimit=3');
    expect(await page.textContent('#sample-ts')).toContain("conn.invoke('getRecords'");
    expect(await page.textContent('#sample-xml')).toContain('<servicenow.getRecords>\n  <tableName>incident</tableName>');
    // README's picture (docs/explorer.png): EXPLORER_SCREENSHOT=docs/explorer.png npx vitest run test/explorer/browser.test.ts
    if (process.env['EXPLORER_SCREENSHOT']) {
      await page.evaluate(() => {
        document.querySelector('#sample-cli')!.closest('details')!.open = true;
        window.scrollTo(0, 0);
      });
      await page.screenshot({ path: process.env['EXPLORER_SCREENSHOT'] });
    }
  });

  it('a bad value is flagged as it is typed and nothing is sent', async () => {
    sim.clearRequests();
    await page.fill(field('getRecords', 'tableName'), 'incident; drop');
    await page.fill(field('getRecords', 'sysparmLimit'), '0');
    expect(await page.getAttribute(field('getRecords', 'tableName'), 'aria-invalid')).toBe('true');
    expect(await page.textContent(`#op-getRecords-tableName-msg`)).toContain('does not match ^[a-z0-9_]+$');
    expect(await page.textContent(`#op-getRecords-sysparmLimit-msg`)).toBe('must be at least 1');
    expect(await page.isDisabled('#send')).toBe(true);
    expect(await page.textContent('.problems')).toContain('tableName');
    expect(sim.requests()).toHaveLength(0);
    await page.fill(field('getRecords', 'tableName'), 'incident');
    await page.fill(field('getRecords', 'sysparmLimit'), '');
    expect(await page.isDisabled('#send')).toBe(false);
  });

  it('an all-pages read streams in with a progress count and downloads as NDJSON and CSV', async () => {
    const total = sim.db.count('incident');
    sim.configure({ latency: { fixedMs: 40 } });
    try {
      await page.click('details.group:has(summary:text("All Pages")) > summary');
      await page.check(field('getRecords', 'all'));
      await page.fill(field('getRecords', 'pageSize'), '7');
      expect(await page.textContent('#send')).toBe('Read all pages');
      // The preview shows the first page as the paging engine asks for it: the page size, in key order.
      await page.waitForFunction(() => document.querySelector('#preview-url')?.textContent?.includes('sysparm_limit=7'));
      expect(await previewUrl()).toContain('ORDERBYsys_id');
      // Every text the progress line shows, to see the count grow while pages arrive.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { progressSeen: string[] }).progressSeen = seen;
        new MutationObserver(() => {
          const p = document.querySelector('#progress');
          if (p?.textContent && seen.at(-1) !== p.textContent) seen.push(p.textContent);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.click('#send');
      await page.waitForFunction(() => /records in \d+ pages/.test(document.querySelector('#progress')?.textContent ?? ''));
      // Keyset paging asks once more after the last full page (7 per page: at least ceil(total / 7) requests).
      const done = /^(\d+) records in (\d+) pages/.exec((await page.textContent('#progress')) ?? '')!;
      expect(Number(done[1])).toBe(total);
      expect(Number(done[2])).toBeGreaterThanOrEqual(Math.ceil(total / 7));
      const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
      expect(seen.some((t) => new RegExp(`^\\d+ of ${total} records$`).test(t) && Number(t.split(' ')[0]) < total), seen.join(' | ')).toBe(true);
    } finally {
      sim.configure({ latency: { fixedMs: 0 } });
    }
    const [ndjson] = await Promise.all([page.waitForEvent('download'), page.click('#download-ndjson')]);
    const lines = readFileSync((await ndjson.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { number: string });
    expect(lines).toHaveLength(total);
    expect(new Set(lines.map((l) => l.number)).size).toBe(total);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const rows = readFileSync((await csv.path())!, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('number,short_description,priority');
    expect(rows).toHaveLength(total + 1);
  });

  it('a flow run shows each step, the connector calls with their statuses, and the fault path', async () => {
    await page.goto(`${explorer.url}#flows`);
    await page.waitForSelector('#flow-run');
    expect(await page.inputValue('#flow-file')).toBe('incident-check.xml');
    await page.fill('#flow-payload', '{"from": "explorer"}');
    await page.click('#flow-run');
    await page.waitForSelector('#flow-steps li');
    expect(await page.textContent('#flow-outcome')).toMatch(/^fault in .* 7 steps — NOT_FOUND/);
    const labels = await page.locator('#flow-steps .step-label').allTextContents();
    expect(labels).toEqual(['servicenow.init', 'servicenow.getRecords', 'property firstNumber', 'filter', 'property seen', 'servicenow.getRecordById', 'payloadFactory']);
    const calls = await page.locator('#flow-steps .call').allTextContents();
    expect(calls).toEqual(['getRecords → 200', 'getRecordById → 404']);
    expect(await page.locator('#flow-steps li.fault-path .step-label').allTextContents()).toEqual(['payloadFactory']);
    expect(await page.textContent('.fault-note')).toContain("→ fault sequence 'failed'");
    expect(await page.locator('#flow-steps li').nth(2).locator('.step-props').textContent()).toMatch(/firstNumber = INC/);
  });

  it('no secret in the DOM, the network answers or the console', async () => {
    const bodies = await Promise.all(responses);
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expect(body).not.toContain(SECRET);
    expect(await page.content()).not.toContain(SECRET);
    await page.goto(`${explorer.url}#op/getRecords`);
    await page.waitForSelector('#sample-cli', { state: 'attached' });
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.textContent('#sample-cli')).toContain("SN_PASSWORD='<your password>'");
    for (const line of consoleLines) expect(line).not.toContain(SECRET);
    expect(consoleLines.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });
});
