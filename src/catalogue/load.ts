// Loads a catalogue folder: connector.xml, every operations/*.xml it lists and the templates they use.
// Everything is checked (format, cross-references, files) and compiled here, once; a call does no XML,
// schema or template work. With a fresh snapshot (snapshot.ts) the parsing and format checks were done when it
// was written, and validators and templates are compiled on first use; XML parser, descriptor schema, ajv and
// Handlebars are then not even loaded.
import { checkBulk } from './bulk.js';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { ConnectorError } from '../errors.js';
import { compileCall, type CallRenderer } from './compile-call.js';
import { defaultCatalogueDir } from './default-dir.js';
import { descriptorError } from './descriptor-error.js';
import { compileParameters, type CompiledParameters, type PrecompiledParameters } from './parameters.js';
import { readOperation } from './read-descriptor.js';
import { defaultSnapshotFile, readFreshSnapshot, validatorFromCode, type ConnectorHeader, type FreshSnapshot, type OperationRef } from './snapshot.js';
import { guardStepQueries } from './step-query-guard.js';
import { checkStepReferences, compileSteps, type CompiledStep, type ResultBuilderShapes } from './steps.js';
import { compileTemplate, precompiledTemplate, type CompiledTemplate } from './templates.js';
import type { OperationDescriptor } from './types.js';
import { lineOfElement, lineOfText } from './xml.js';

export interface CompiledOperation {
  descriptor: OperationDescriptor;
  parameters: CompiledParameters;
  /** Undefined for the init operation, which configures the connection instead of calling. */
  render?: CallRenderer;
  /** A multi-step operation's compiled steps (<steps>), instead of render. */
  steps?: CompiledStep[];
}

export interface Catalogue {
  dir: string;
  name: string;
  version: string;
  description: string;
  init: CompiledOperation;
  /** In connector.xml order, init excluded. */
  operations: CompiledOperation[];
  /** By name or alias. */
  find(name: string): CompiledOperation | undefined;
}

export interface LoadCatalogueOptions {
  /**
   * A snapshot file written by writeCatalogueSnapshot(). It is used only when it matches the folder's files and
   * this loader exactly; otherwise the catalogue is read and checked in full. false: never use one. Default: the
   * snapshot the package's build writes, for the package's own catalogue (none for any other folder).
   */
  snapshot?: string | false;
  /**
   * The result builders a multi-step operation's <steps result="..."> may name, with the steps and parameters each
   * reads. The layer that owns the builders passes them (loadConnector passes src/schema's); without them the
   * names are not checked here, and the connector checks them when it loads.
   */
  resultBuilders?: ResultBuilderShapes;
  /**
   * The connection settings the init operation's <setting name="..."> may set (dotted paths), passed by the layer
   * that owns the transport. With them a misspelt name is refused with its file and line instead of being dropped.
   */
  connectionSettings?: readonly string[];
}

/** What the layers above tell the loader (see LoadCatalogueOptions). */
type RuntimeNames = Pick<LoadCatalogueOptions, 'resultBuilders' | 'connectionSettings'>;

const CONNECTOR_FILE = 'connector.xml';

export async function loadCatalogue(dir: string = defaultCatalogueDir(), options: LoadCatalogueOptions = {}): Promise<Catalogue> {
  const snapshotFile = options.snapshot === undefined ? defaultSnapshotFile(dir) : options.snapshot || undefined;
  const fresh = snapshotFile ? await readFreshSnapshot(dir, snapshotFile) : undefined;
  return (await build(dir, fresh ? snapshotSource(fresh) : await checkedSource(dir), options)).catalogue;
}

/** What the snapshot writer records of a full load. */
export interface CheckedCatalogue {
  catalogue: Catalogue;
  header: ConnectorHeader;
  /** Text of every file read, by path relative to the folder, connector.xml first. */
  texts: Map<string, string>;
  /** Top-level names each body template reads, by template name. */
  templateVariables: Map<string, string[]>;
}

/** The full load, never from a snapshot, with what a snapshot is made of. */
export async function loadCheckedCatalogue(dir: string = defaultCatalogueDir(), runtime: RuntimeNames = {}): Promise<CheckedCatalogue> {
  return build(dir, await checkedSource(dir), runtime);
}

/** Where the loader gets descriptors and templates from: the files (checked in full) or a fresh snapshot. */
interface Source {
  header: ConnectorHeader;
  connectorRaw: string;
  texts: Map<string, string>;
  operation(ref: OperationRef, isInit: boolean): Promise<{ raw: string; op: OperationDescriptor; precompiled?: PrecompiledParameters }>;
  template(name: string, from: string, line: number | undefined): Promise<CompiledTemplate>;
  /** True when templates and step templates were compiled when the snapshot was written. */
  precompiled: boolean;
}

async function checkedSource(dir: string): Promise<Source> {
  // Only this path parses XML and checks the descriptor format; loaded on demand (~70 ms of imports and schema compiling).
  const [{ parseXml }, { checkConnectorShape, checkOperationShape }] = await Promise.all([import('./xml-parse.js'), import('./check-schema.js')]);
  const texts = new Map<string, string>();
  const read = async (file: string, from: string, line: number | undefined) => {
    const text = await readText(dir, file, from, line);
    texts.set(file, text);
    return text;
  };
  const connectorRaw = await read(CONNECTOR_FILE, CONNECTOR_FILE, undefined);
  const parsed = parseXml(connectorRaw, CONNECTOR_FILE);
  checkConnectorShape(parsed, connectorRaw, CONNECTOR_FILE);
  const header = readConnector(parsed['connector'] as Record<string, unknown>);

  // Each template file is read and compiled once, however many operations use it.
  const templates = new Map<string, Promise<CompiledTemplate>>();
  return {
    header,
    connectorRaw,
    texts,
    precompiled: false,
    async operation(ref, isInit) {
      const raw = await read(ref.template, CONNECTOR_FILE, lineOfElement(connectorRaw, isInit ? 'init' : 'operation', 'name', ref.name));
      const tree = parseXml(raw, ref.template);
      checkOperationShape(tree, raw, ref.template);
      return { raw, op: readOperation(tree, ref.template, ref.aliases) };
    },
    template(name, from, line) {
      let pending = templates.get(name);
      if (!pending) {
        const file = `templates/${name}`;
        pending = readText(dir, join('templates', name), from, line).then((source) => {
          texts.set(file, source);
          return compileTemplate(source, file);
        });
        templates.set(name, pending);
      }
      return pending;
    },
  };
}

function readConnector(c: Record<string, unknown>): ConnectorHeader {
  const init = c['init'] as { name: string; template: string };
  return {
    name: c['name'] as string,
    version: c['version'] as string,
    description: typeof c['description'] === 'string' ? c['description'].replace(/\s+/g, ' ').trim() : '',
    init: { name: init.name, template: init.template, aliases: [] },
    operations: (c['operation'] as Array<{ name: string; template: string; alias?: Array<{ name: string }> }>).map((o) => ({
      name: o.name,
      template: o.template,
      aliases: (o.alias ?? []).map((a) => a.name),
    })),
  };
}

function snapshotSource({ snapshot, texts }: FreshSnapshot): Source {
  const templates = new Map<string, CompiledTemplate>();
  return {
    header: snapshot.connector,
    connectorRaw: texts.get(CONNECTOR_FILE)!,
    texts,
    precompiled: true,
    async operation(ref) {
      const { descriptor, validator } = snapshot.operations[ref.template]!;
      return { raw: texts.get(ref.template)!, op: descriptor, precompiled: { validator: validatorFromCode(validator) } };
    },
    async template(name) {
      let template = templates.get(name);
      if (!template) {
        template = precompiledTemplate(texts.get(`templates/${name}`)!, snapshot.templates[name]!);
        templates.set(name, template);
      }
      return template;
    },
  };
}

async function build(dir: string, source: Source, runtime: RuntimeNames): Promise<CheckedCatalogue> {
  const { resultBuilders, connectionSettings } = runtime;
  const { header, connectorRaw } = source;
  const names = new Map<string, string>();
  for (const ref of [header.init, ...header.operations]) {
    for (const key of [ref.name, ...ref.aliases]) {
      if (names.has(key)) throw descriptorError(CONNECTOR_FILE, lineOfElement(connectorRaw, 'alias', 'name', key) ?? lineOfElement(connectorRaw, 'operation', 'name', key), `operation name or alias '${key}' is used twice`);
      names.set(key, ref.name);
    }
  }

  const templateVariables = new Map<string, string[]>();
  const loadOne = async (ref: OperationRef, isInit: boolean): Promise<CompiledOperation> => {
    const { raw, op, precompiled } = await source.operation(ref, isInit);
    const file = ref.template;
    if (op.name !== ref.name) {
      throw descriptorError(file, lineOfElement(raw, 'template'), `<template name="${op.name}"> but connector.xml lists it as '${ref.name}'`);
    }
    const parameters = compileParameters(op, raw, precompiled);
    checkStructure(op, raw, isInit, parameters, connectionSettings);

    let render: CallRenderer | undefined;
    if (op.call) {
      // The body template is loaded up front so that compileCall can stay synchronous.
      const body = op.call.body;
      const bodyTemplate = body && 'template' in body ? await source.template(body.template, file, lineOfElement(raw, 'body', 'template', body.template)) : undefined;
      if (body && 'template' in body) templateVariables.set(body.template, [...bodyTemplate!.variables]);
      render = compileCall({
        op,
        call: op.call,
        raw,
        parameters: parameters.lookup,
        template: () => bodyTemplate!,
      });
    }
    return { descriptor: op, parameters, render, ...(op.steps ? { steps: compileSteps(op, raw, source.precompiled, resultBuilders) } : {}) };
  };

  const [init, ...operations] = await Promise.all([loadOne(header.init, true), ...header.operations.map((ref) => loadOne(ref, false))]);
  checkIdempotencyLookups(operations);
  for (const op of operations) checkBulk(op, operations);
  checkStepReferences(operations, resultBuilders);
  guardStepQueries(operations);

  const byName = new Map<string, CompiledOperation>();
  for (const op of operations) for (const key of [op.descriptor.name, ...op.descriptor.aliases]) byName.set(key, op);

  const catalogue: Catalogue = {
    dir,
    name: header.name,
    version: header.version,
    description: header.description,
    init: init!,
    operations,
    find: (name) => byName.get(name),
  };
  return { catalogue, header, texts: source.texts, templateVariables };
}

function checkStructure(op: OperationDescriptor, raw: string, isInit: boolean, parameters: CompiledParameters, settings: readonly string[] | undefined): void {
  const declared = (name: string) => parameters.lookup.get(name)?.name === name;
  if (isInit) {
    if (!op.connection) throw descriptorError(op.file, lineOfElement(raw, 'template'), 'the init operation needs a <connection> block mapping its parameters to connection settings');
    if (op.call) throw descriptorError(op.file, lineOfElement(raw, 'call'), 'the init operation has no <call>');
    for (const s of op.connection) {
      if (settings !== undefined && !settings.includes(s.name)) {
        throw descriptorError(op.file, lineOfElement(raw, 'setting', 'name', s.name), `<setting name="${s.name}"> is not a connection setting (settings: ${settings.join(', ')})`);
      }
      if (!declared(s.from)) throw descriptorError(op.file, lineOfElement(raw, 'setting', 'name', s.name), `<setting name="${s.name}"> takes from '${s.from}', which is not a parameter of ${op.name}`);
      if (s.when && !declared(s.when.parameter)) throw descriptorError(op.file, lineOfElement(raw, 'setting', 'name', s.name), `<setting name="${s.name}"> has when="${s.when.parameter}=...", which is not a parameter of ${op.name}`);
    }
    return;
  }
  if (op.steps || op.bulk) {
    const kinds = (['call', 'steps', 'bulk'] as const).filter((k) => op[k] !== undefined);
    if (kinds.length > 1) {
      throw descriptorError(op.file, lineOfElement(raw, kinds[1]!), `operation ${op.name} has both <${kinds[0]}> and <${kinds[1]}>; it needs exactly one of <call>, <steps> and <bulk>`);
    }
    return;
  }
  if (!op.call) throw descriptorError(op.file, lineOfElement(raw, 'template'), `operation ${op.name} needs a <call> (or <steps>, or <bulk>)`);
  if (op.connection) throw descriptorError(op.file, lineOfElement(raw, 'connection'), 'only the init operation may have a <connection> block');
  const p = op.paging;
  for (const ref of [p?.allPagesFrom, p?.maxRecordsFrom, p?.pageSizeFrom, p?.strategyFrom, p?.sinceFrom, p?.prefetchFrom, p?.parallelFrom, p?.partitionsFrom, p?.orderedFrom, op.idempotency?.fieldFrom]) {
    if (ref !== undefined && !declared(ref)) throw descriptorError(op.file, lineOfText(raw, `"${ref}"`), `'${ref}' is not a parameter of ${op.name}`);
  }
}

function checkIdempotencyLookups(operations: CompiledOperation[]): void {
  for (const op of operations) {
    const guard = op.descriptor.idempotency;
    if (!guard) continue;
    const lookup = operations.find((o) => o.descriptor.name === guard.lookup);
    if (!lookup) throw descriptorError(op.descriptor.file, undefined, `<idempotency lookup="${guard.lookup}"> names no operation of the catalogue`);
    if (lookup.parameters.lookup.get(guard.queryParameter)?.name !== guard.queryParameter) {
      throw descriptorError(op.descriptor.file, undefined, `<idempotency queryParameter="${guard.queryParameter}"> is not a parameter of ${guard.lookup}`);
    }
  }
}

async function readText(dir: string, file: string, referencedFrom: string, line: number | undefined): Promise<string> {
  if (isAbsolute(file) || relative(dir, join(dir, file)).startsWith('..')) {
    throw descriptorError(referencedFrom, line, `'${file}' must be a path inside the catalogue folder`);
  }
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (file === CONNECTOR_FILE) {
      throw new ConnectorError({ code: 'DESCRIPTOR_ERROR', message: `${CONNECTOR_FILE}: cannot read it in the catalogue folder (${code ?? 'error'})`, detail: CONNECTOR_FILE, cause: err });
    }
    throw descriptorError(referencedFrom, line, `refers to '${file}', which ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`, err);
  }
}
