// Catalogue snapshots: a fresh one gives the same catalogue as the full load (descriptors, validators, rendered
// calls, step parameters); a stale, foreign, corrupt or missing one is ignored and the full load decides.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, writeCatalogueSnapshot, type Catalogue } from '../../src/catalogue/index.js';
import { compileFormatCheckers } from '../../src/catalogue/check-schema.js';
import { defaultCatalogueDir } from '../../src/catalogue/default-dir.js';
import { validatorFromCode, type CatalogueSnapshot } from '../../src/catalogue/snapshot.js';
import { formatCheckersCode } from '../../src/catalogue/snapshot-writer.js';
import { parseXml } from '../../src/catalogue/xml-parse.js';
import { isConnectorError } from '../../src/errors.js';
import { loadConnector } from '../../src/invoke/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { copyCatalogue, type TempCatalogue } from './temp-catalogue.js';

const temps: TempCatalogue[] = [];
afterAll(() => temps.forEach((t) => t.remove()));

/** A copy of the package catalogue with a snapshot written next to it (outside the catalogue's own files). */
async function withSnapshot(): Promise<{ temp: TempCatalogue; file: string }> {
  const temp = copyCatalogue();
  temps.push(temp);
  const file = join(temp.dir, 'build', 'catalogue.snapshot.json');
  expect(await writeCatalogueSnapshot({ dir: temp.dir, file })).toBe(file);
  return { temp, file };
}

function readSnapshot(file: string): CatalogueSnapshot {
  return JSON.parse(readFileSync(file, 'utf8')) as CatalogueSnapshot;
}

/** Changes the snapshot's copy of getRecords' description only: a load that shows it came from the snapshot. */
function markSnapshot(file: string, change: (s: CatalogueSnapshot) => void = () => undefined): void {
  const snapshot = readSnapshot(file);
  snapshot.operations['operations/getRecords.xml']!.descriptor.description = 'FROM THE SNAPSHOT';
  change(snapshot);
  writeFileSync(file, JSON.stringify(snapshot));
}

const fromSnapshot = (c: Catalogue) => c.find('getRecords')!.descriptor.description === 'FROM THE SNAPSHOT';

// Inputs that pass, get coerced, or fail each kind of parameter rule of the package's operations.
const VALIDATION_CASES: Array<[string, Record<string, unknown>]> = [
  ['getRecords', { tableName: 'incident', sysparmLimit: '5', sysparmNoCount: 'true' }],
  ['getRecords', { tableName: 'incident', sysparmLimit: 'five' }],
  ['getRecords', { sysparmLimit: 5 }],
  ['getRecords', { tableName: 'incident', sysparmDisplayValue: 'maybe' }],
  ['getRecords', { tableName: 'incident', pageSize: 0 }],
  ['getRecords', { tableName: 'bad table!' }],
  ['postRecord', { tableName: 'incident', payload: '{"a":1}' }],
  ['postRecord', { tableName: 'incident', payload: { short_description: 'x' }, validatePayload: 'yes' }],
  ['getTableSchema', { tableName: 'incident' }],
  ['uploadAttachment', { tableName: 'incident' }],
];

describe('a fresh snapshot', () => {
  let full: Catalogue;
  let snap: Catalogue;
  beforeAll(async () => {
    const { temp, file } = await withSnapshot();
    full = await loadCatalogue(temp.dir, { snapshot: false });
    snap = await loadCatalogue(temp.dir, { snapshot: file });
  });

  it('gives the same connector, operations and descriptors as the full load', () => {
    expect(snap.name).toBe(full.name);
    expect(snap.version).toBe(full.version);
    expect(snap.description).toBe(full.description);
    expect(snap.init.descriptor).toEqual(full.init.descriptor);
    expect(snap.operations.map((o) => o.descriptor)).toEqual(full.operations.map((o) => o.descriptor));
    for (const op of full.operations) {
      const same = snap.find(op.descriptor.name)!;
      expect(same.parameters.list).toEqual(op.parameters.list);
      expect([...same.parameters.lookup.keys()]).toEqual([...op.parameters.lookup.keys()]);
      expect(same.parameters.defaults).toEqual(op.parameters.defaults);
      for (const alias of op.descriptor.aliases) expect(snap.find(alias)).toBe(same);
    }
  });

  it('validates, coerces and reports errors exactly as the full load', () => {
    const outcomes = new Set<boolean>();
    for (const [name, input] of VALIDATION_CASES) {
      const a = structuredClone(input);
      const b = structuredClone(input);
      const fullOp = full.find(name)!;
      const snapOp = snap.find(name)!;
      const ok = fullOp.parameters.validate(a);
      outcomes.add(ok);
      expect(snapOp.parameters.validate(b), `${name} ${JSON.stringify(input)}`).toBe(ok);
      expect(b).toEqual(a);
      expect(snapOp.parameters.validate.errors).toEqual(fullOp.parameters.validate.errors);
    }
    expect([...outcomes].sort()).toEqual([false, true]);
    const init = { serviceNowInstanceURL: 'http://127.0.0.1:1', username: 'admin', password: 'admin', maxRetries: '2' };
    const a = { ...init };
    const b = { ...init };
    expect(snap.init.parameters.validate(b)).toBe(full.init.parameters.validate(a));
    expect(b).toEqual(a);
  });

  it('renders the same calls, bodies included, and the same step parameters', () => {
    const values: Record<string, unknown> = {
      tableName: 'incident',
      sysId: '0123456789abcdef0123456789abcdef',
      sysparmQuery: 'active=true',
      payload: { short_description: 'printer "on fire"', urgency: '1' },
      shortDescription: 'a "quoted" text',
      number: 'INC0001',
      active: true,
    };
    let bodies = 0;
    for (const op of full.operations) {
      if (!op.render) continue;
      const same = snap.find(op.descriptor.name)!;
      let expected: unknown;
      let failure: unknown;
      try {
        expected = op.render(values);
      } catch (err) {
        failure = err;
      }
      if (failure) expect(() => same.render!(values)).toThrow((failure as Error).message);
      else expect(same.render!(values), op.descriptor.name).toEqual(expected);
      if (typeof (expected as { body?: unknown } | undefined)?.body === 'string') bodies++;
    }
    expect(bodies).toBeGreaterThan(1);
    const schema = full.find('getTableSchema')!;
    const context = { tableName: 'incident', hierarchy: { result: [{ name: 'incident' }, { name: 'task' }] } };
    expect(snap.find('getTableSchema')!.steps!.map((s) => s.parameters(context))).toEqual(schema.steps!.map((s) => s.parameters(context)));
  });
});

describe('which load is used', () => {
  it('uses a snapshot that matches every file', async () => {
    const { temp, file } = await withSnapshot();
    markSnapshot(file);
    expect(fromSnapshot(await loadCatalogue(temp.dir, { snapshot: file }))).toBe(true);
    expect(fromSnapshot(await loadCatalogue(temp.dir, { snapshot: false }))).toBe(false);
    // Another folder never gets a snapshot it did not ask for.
    expect(fromSnapshot(await loadCatalogue(temp.dir))).toBe(false);
  });

  it('ignores the snapshot once an operation file changed, and the change is checked in full', async () => {
    const { temp, file } = await withSnapshot();
    markSnapshot(file);
    temp.edit('operations/getRecordById.xml', '<template name="getRecordById">', '<template name="getRecordById">\n  <bogus/>');
    const err = await loadCatalogue(temp.dir, { snapshot: file }).catch((e: unknown) => e);
    expect(isConnectorError(err) && err.code).toBe('DESCRIPTOR_ERROR');
    expect((err as Error).message).toMatch(/operations\/getRecordById\.xml:\d+: .*bogus/);
  });

  it('ignores the snapshot once connector.xml or a template changed', async () => {
    const { temp, file } = await withSnapshot();
    markSnapshot(file);
    temp.edit('connector.xml', '</connector>', '<!-- edited -->\n</connector>');
    expect(fromSnapshot(await loadCatalogue(temp.dir, { snapshot: file }))).toBe(false);

    const other = await withSnapshot();
    markSnapshot(other.file);
    const template = other.temp.read('templates/record.json.hbs');
    other.temp.write('templates/record.json.hbs', template.replace('{{', '{{json undeclaredValue}}{{'));
    const err = await loadCatalogue(other.temp.dir, { snapshot: other.file }).catch((e: unknown) => e);
    expect(isConnectorError(err) && err.code).toBe('DESCRIPTOR_ERROR');
    expect((err as Error).message).toContain("reads 'undeclaredValue', which is not a parameter");
  });

  it('ignores a snapshot written by other code, a corrupt one and a missing one', async () => {
    const { temp, file } = await withSnapshot();
    markSnapshot(file, (s) => void (s.code = 'written by another version'));
    expect(fromSnapshot(await loadCatalogue(temp.dir, { snapshot: file }))).toBe(false);

    writeFileSync(file, '{"format":1,');
    expect((await loadCatalogue(temp.dir, { snapshot: file })).operations.length).toBeGreaterThan(0);
    const missing = await loadCatalogue(temp.dir, { snapshot: join(temp.dir, 'build', 'none.json') });
    expect(missing.find('getRecords')).toBeDefined();
  });

  it('ignores a snapshot that lists a file outside the catalogue folder', async () => {
    const { temp, file } = await withSnapshot();
    markSnapshot(file, (s) => void (s.files['../outside.xml'] = 'x'));
    expect(fromSnapshot(await loadCatalogue(temp.dir, { snapshot: file }))).toBe(false);
  });
});

describe('the generated descriptor-format checkers', () => {
  it('accept and reject descriptor files exactly as the checkers ajv compiles', () => {
    const code = formatCheckersCode();
    const generated = { operation: validatorFromCode(code.operation)(), connector: validatorFromCode(code.connector)() };
    const compiled = compileFormatCheckers();
    const dir = defaultCatalogueDir();
    const getRecords = readFileSync(join(dir, 'operations', 'getRecords.xml'), 'utf8');
    const postRecord = readFileSync(join(dir, 'operations', 'postRecord.xml'), 'utf8');
    const connector = readFileSync(join(dir, 'connector.xml'), 'utf8');
    const operations = [
      getRecords,
      postRecord,
      getRecords.replace('<parameter name="sysparmLimit"', '<parameter colour="red" name="sysparmLimit"'),
      getRecords.replace('type="integer"', 'type="float"'),
      getRecords.replace('<parameter name="sysparmQuery"', '<parameter'),
      getRecords.replace('name="sysparmQuery"', 'name=""'),
      postRecord.replace('<body template="record.json.hbs"', '<body from="payload" template="record.json.hbs"'),
      postRecord.replace('template="record.json.hbs"', 'template="../outside.hbs"'),
    ];
    const outcomes = new Set<boolean>();
    for (const text of operations) {
      const a = parseXml(text, 'operations/x.xml');
      const b = parseXml(text, 'operations/x.xml');
      const ok = compiled.operation(a);
      outcomes.add(ok);
      expect(generated.operation(b)).toBe(ok);
      expect(generated.operation.errors).toEqual(compiled.operation.errors);
    }
    expect([...outcomes].sort()).toEqual([false, true]);
    for (const text of [connector, connector.replace('<operation name="getRecords"', '<operation')]) {
      const ok = compiled.connector(parseXml(text, 'connector.xml'));
      expect(generated.connector(parseXml(text, 'connector.xml'))).toBe(ok);
      expect(generated.connector.errors).toEqual(compiled.connector.errors);
    }
  });
});

describe('writing a snapshot', () => {
  it('needs a file for any folder but the package catalogue, so it never lands in a user catalogue', async () => {
    const temp = copyCatalogue();
    temps.push(temp);
    await expect(writeCatalogueSnapshot({ dir: temp.dir })).rejects.toThrow(/say where to write the snapshot/);
  });

  it('fails as the load does for a broken catalogue', async () => {
    const temp = copyCatalogue();
    temps.push(temp);
    temp.edit('operations/getRecords.xml', 'name="sysparmLimit"', 'name="sysparmLimit" minimum="oops"');
    const err = await writeCatalogueSnapshot({ dir: temp.dir, file: join(temp.dir, 'build', 's.json') }).catch((e: unknown) => e);
    expect(isConnectorError(err) && err.code).toBe('DESCRIPTOR_ERROR');
    expect((err as Error).message).toMatch(/^operations\/getRecords\.xml:\d+: /);
  });
});

describe('a connector started from a snapshot', () => {
  it('connects, invokes and rejects bad parameters as a fully loaded one', async () => {
    const sim = await startSimulator({ port: 0 });
    const { temp, file } = await withSnapshot();
    markSnapshot(file);
    const connectors = [await loadConnector({ dir: temp.dir, snapshot: file }), await loadConnector({ dir: temp.dir, snapshot: false })];
    expect(connectors.map((c) => c.describe('getRecords')!.description === 'FROM THE SNAPSHOT')).toEqual([true, false]);
    const conns = connectors.map((c) => c.connect({ serviceNowInstanceURL: sim.url, username: 'admin', password: 'admin', maxRetries: 0 }));
    try {
      const results = await Promise.all(conns.map((c) => c.invoke('getRecords', { tableName: 'incident', sysparmLimit: '2', sysparmFields: 'number' })));
      expect(results[0]!.payload).toEqual(results[1]!.payload);
      expect((results[0]!.payload as { result: unknown[] }).result).toHaveLength(2);
      const created = await Promise.all(conns.map((c) => c.invoke('postRecord', { tableName: 'incident', shortDescription: 'from a "snapshot"' })));
      for (const r of created) expect((r.payload as { result: { short_description: string } }).result.short_description).toBe('from a "snapshot"');
      const errors = await Promise.all(conns.map((c) => c.invoke('getRecords', { tableName: 'incident', sysparmLimit: 'many' }).catch((e: unknown) => e)));
      expect(isConnectorError(errors[0]) && errors[0].code).toBe('INVALID_PARAMETER');
      expect((errors[0] as Error).message).toBe((errors[1] as Error).message);
    } finally {
      for (const c of conns) await c.close();
      await sim.close();
    }
  });
});
