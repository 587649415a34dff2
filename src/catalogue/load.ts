// Loads a catalogue folder: connector.xml, every operations/*.xml it lists and the templates they use.
// Everything is checked (format, cross-references, files) and compiled here, once; a call does no XML,
// schema or template work.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { ConnectorError } from '../errors.js';
import { checkConnectorShape, checkOperationShape } from './check-schema.js';
import { compileCall, type CallRenderer } from './compile-call.js';
import { defaultCatalogueDir } from './default-dir.js';
import { descriptorError } from './descriptor-error.js';
import { compileParameters, type CompiledParameters } from './parameters.js';
import { readOperation } from './read-descriptor.js';
import { checkStepReferences, compileSteps, type CompiledStep } from './steps.js';
import { compileTemplate, type CompiledTemplate } from './templates.js';
import type { OperationDescriptor } from './types.js';
import { lineOfElement, lineOfText, parseXml } from './xml.js';

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

const CONNECTOR_FILE = 'connector.xml';

export async function loadCatalogue(dir: string = defaultCatalogueDir()): Promise<Catalogue> {
  const connectorRaw = await readText(dir, CONNECTOR_FILE, CONNECTOR_FILE, undefined);
  const parsed = parseXml(connectorRaw, CONNECTOR_FILE);
  checkConnectorShape(parsed, connectorRaw, CONNECTOR_FILE);
  const c = parsed['connector'] as Record<string, unknown>;
  const initRef = c['init'] as { name: string; template: string };
  const refs = (c['operation'] as Array<{ name: string; template: string; alias?: Array<{ name: string }> }>).map((o) => ({
    name: o.name,
    template: o.template,
    aliases: (o.alias ?? []).map((a) => a.name),
  }));

  const names = new Map<string, string>();
  for (const ref of [{ name: initRef.name, aliases: [] as string[] }, ...refs]) {
    for (const key of [ref.name, ...ref.aliases]) {
      if (names.has(key)) throw descriptorError(CONNECTOR_FILE, lineOfElement(connectorRaw, 'alias', 'name', key) ?? lineOfElement(connectorRaw, 'operation', 'name', key), `operation name or alias '${key}' is used twice`);
      names.set(key, ref.name);
    }
  }

  // Each template file is read and compiled once, however many operations use it.
  const templates = new Map<string, Promise<CompiledTemplate>>();
  const loadTemplate = (name: string, from: string, line: number | undefined): Promise<CompiledTemplate> => {
    let pending = templates.get(name);
    if (!pending) {
      pending = readText(dir, join('templates', name), from, line).then((source) => compileTemplate(source, `templates/${name}`));
      templates.set(name, pending);
    }
    return pending;
  };

  const loadOne = async (ref: { name: string; template: string; aliases: string[] }, isInit: boolean): Promise<CompiledOperation> => {
    const raw = await readText(dir, ref.template, CONNECTOR_FILE, lineOfElement(connectorRaw, isInit ? 'init' : 'operation', 'name', ref.name));
    const file = ref.template;
    const tree = parseXml(raw, file);
    checkOperationShape(tree, raw, file);
    const op = readOperation(tree, file, ref.aliases);
    if (op.name !== ref.name) {
      throw descriptorError(file, lineOfElement(raw, 'template'), `<template name="${op.name}"> but connector.xml lists it as '${ref.name}'`);
    }
    const parameters = compileParameters(op, raw);
    checkStructure(op, raw, isInit, parameters);

    let render: CallRenderer | undefined;
    if (op.call) {
      // The body template is loaded up front so that compileCall can stay synchronous.
      const body = op.call.body;
      const bodyTemplate = body && 'template' in body ? await loadTemplate(body.template, file, lineOfElement(raw, 'body', 'template', body.template)) : undefined;
      render = compileCall({
        op,
        call: op.call,
        raw,
        parameters: parameters.lookup,
        template: () => bodyTemplate!,
      });
    }
    return { descriptor: op, parameters, render, ...(op.steps ? { steps: compileSteps(op, raw) } : {}) };
  };

  const [init, ...operations] = await Promise.all([
    loadOne({ ...initRef, aliases: [] }, true),
    ...refs.map((ref) => loadOne(ref, false)),
  ]);
  checkIdempotencyLookups(operations);
  checkStepReferences(operations);

  const byName = new Map<string, CompiledOperation>();
  for (const op of operations) for (const key of [op.descriptor.name, ...op.descriptor.aliases]) byName.set(key, op);

  return {
    dir,
    name: c['name'] as string,
    version: c['version'] as string,
    description: typeof c['description'] === 'string' ? c['description'].replace(/\s+/g, ' ').trim() : '',
    init: init!,
    operations,
    find: (name) => byName.get(name),
  };
}

function checkStructure(op: OperationDescriptor, raw: string, isInit: boolean, parameters: CompiledParameters): void {
  const declared = (name: string) => parameters.lookup.get(name)?.name === name;
  if (isInit) {
    if (!op.connection) throw descriptorError(op.file, lineOfElement(raw, 'template'), 'the init operation needs a <connection> block mapping its parameters to connection settings');
    if (op.call) throw descriptorError(op.file, lineOfElement(raw, 'call'), 'the init operation has no <call>');
    for (const s of op.connection) {
      if (!declared(s.from)) throw descriptorError(op.file, lineOfElement(raw, 'setting', 'name', s.name), `<setting name="${s.name}"> takes from '${s.from}', which is not a parameter of ${op.name}`);
      if (s.when && !declared(s.when.parameter)) throw descriptorError(op.file, lineOfElement(raw, 'setting', 'name', s.name), `<setting name="${s.name}"> has when="${s.when.parameter}=...", which is not a parameter of ${op.name}`);
    }
    return;
  }
  if (op.steps) {
    if (op.call) throw descriptorError(op.file, lineOfElement(raw, 'call'), `operation ${op.name} has both <call> and <steps>; it needs exactly one`);
    return;
  }
  if (!op.call) throw descriptorError(op.file, lineOfElement(raw, 'template'), `operation ${op.name} needs a <call> (or <steps>)`);
  if (op.connection) throw descriptorError(op.file, lineOfElement(raw, 'connection'), 'only the init operation may have a <connection> block');
  const p = op.paging;
  for (const ref of [p?.allPagesFrom, p?.maxRecordsFrom, p?.pageSizeFrom, p?.strategyFrom, p?.sinceFrom, p?.prefetchFrom, p?.parallelFrom, op.idempotency?.fieldFrom]) {
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
