// Reads artifact files into one ArtifactSet: each file's top-level element goes to its kind's handler
// (built-in or registered), problems are collected with file and line, and the whole set is validated
// against the connector before anything is served. With `lenient`, errors are reported as warnings and what
// can load, loads.
import { readFile } from 'node:fs/promises';
import { isConnectorError } from '../errors.js';
import type { Connector } from '../invoke/types.js';
import { checkFlow, FlowBuilder, localPart, parseXml, type Flow, type FlowIssue, type XmlElement } from '../mediation/index.js';
import { discoverArtifactFiles } from './discover.js';
import { discoverRegistryResources } from './registry.js';
import { resourceKey } from '../mediation/resource-key.js';
import { BUILT_IN_KINDS } from './kinds.js';
import type { ArtifactBuildContext, ArtifactKindHandler, ArtifactSet } from './types.js';

const registered = new Map<string, ArtifactKindHandler>();
/** Top-level elements of files that are not Synapse artifacts (a Maven pom, a CApp's artifact list). */
const NOT_ARTIFACTS = new Set(['project', 'artifacts', 'artifact']);

/** Adds (or replaces) the handler of a top-level element kind, e.g. 'messageStore'. */
export function registerArtifactKind(kind: string, handler: ArtifactKindHandler): void {
  registered.set(kind, handler);
}

export function artifactKinds(): string[] {
  return [...new Set([...Object.keys(BUILT_IN_KINDS), ...registered.keys(), 'definitions'])];
}

export interface LoadArtifactsOptions {
  connector: Connector;
  lenient?: boolean;
  /** Registry resources (`conf:schema/a.json` -> text) the artifacts may name, e.g. a <validate> schema. */
  registry?: ReadonlyArray<{ key: string; text: string }>;
}

/** Loads every artifact in the files and folders given; throws SEQUENCE_ERROR listing every error (file:line). */
export async function loadArtifacts(paths: readonly string[], options: LoadArtifactsOptions): Promise<ArtifactSet> {
  const files = await discoverArtifactFiles(paths);
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  const registry = await discoverRegistryResources(paths);
  return buildArtifacts(files.map((file, i) => ({ file, text: texts[i]! })), { ...options, registry: [...(options.registry ?? []), ...registry] });
}

/** Same as loadArtifacts, from texts already read (tests, embedding applications). */
export function buildArtifacts(sources: readonly { file: string; text: string }[], options: LoadArtifactsOptions): ArtifactSet {
  const flow: Flow = { file: sources[0]?.file ?? '', sequences: new Map(), templates: new Map(), localEntries: new Map(), endpoints: new Map(), localValues: new Map() };
  const set: ArtifactSet = {
    flow,
    apis: [],
    proxies: [],
    tasks: [],
    endpoints: new Map(),
    // One map for both: message stores read it at load, <validate> in the flows at run time.
    localValues: flow.localValues,
    services: [],
    extensions: new Map(),
    files: sources.map((s) => s.file),
    warnings: [],
  };
  for (const r of options.registry ?? []) flow.localValues.set(resourceKey(r.key), r.text);
  const issues: FlowIssue[] = [];
  for (const { file, text } of sources) {
    let root: XmlElement;
    try {
      root = parseXml(text, file);
    } catch (err) {
      const message = isConnectorError(err) ? err.message.replace(`${file}:`, '') : String(err);
      const line = Number(/^(\d+):/.exec(message)?.[1] ?? 1);
      issues.push({ file, line, message: message.replace(/^\d+: /, ''), severity: 'error' });
      continue;
    }
    const builder = new FlowBuilder(file, options.connector.name, options.lenient ?? false);
    const ctx = buildContext(file, builder, set);
    dispatch(root, ctx);
    issues.push(...builder.issues);
  }
  const { warnings } = checkFlow(flow, issues, options.connector, { lenient: options.lenient ?? false });
  set.warnings = warnings;
  return set;
}

function dispatch(el: XmlElement, ctx: ArtifactBuildContext): void {
  const kind = localPart(el.name);
  if (kind === 'definitions') {
    for (const child of el.children) dispatch(child, ctx);
    return;
  }
  if (NOT_ARTIFACTS.has(kind) || kind === 'description' || kind === 'comment') return;
  const handler = registered.get(kind) ?? BUILT_IN_KINDS[kind];
  if (!handler) {
    ctx.error(el, `unknown artifact kind <${el.name}> (expected ${artifactKinds().join(', ')})`);
    return;
  }
  handler(el, ctx);
}

function buildContext(file: string, builder: FlowBuilder, set: ArtifactSet): ArtifactBuildContext {
  return {
    file,
    builder,
    set,
    error: (at, message) => builder.error(at, message),
    warn: (at, message) => builder.warn(at, message),
    sequenceFrom(el, name, onError) {
      const seq = el ? builder.sequence(el, false, name) : { name, mediators: [], file, line: 0 };
      seq.name = name;
      if (onError) seq.onError = onError;
      builder.addSequence(set.flow, seq);
      return name;
    },
  };
}

