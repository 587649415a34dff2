// The built-in artifact kinds: how each top-level element becomes part of the ArtifactSet. API resources and
// proxies get synthetic sequences (`api:Name/0:in`) so that the engine's own fault handling (onError) and the
// flow validation cover them like any named sequence.
import { basename } from 'node:path';
import { localPart, serializeXml, type XmlElement } from '../mediation/index.js';
import type { ArtifactBuildContext, ArtifactKindHandler, ResourceArtifact, TaskArtifact } from './types.js';

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const MESSAGE_INJECTOR = 'org.apache.synapse.startup.tasks.MessageInjector';
/** Children that only document or configure the WSO2 editor. */
const DOCUMENTATION = new Set(['description', 'comment', 'parameter', 'policy', 'publishWSDL', 'enableAddressing', 'enableSec', 'handlers']);

const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => localPart(c.name) === name);

/**
 * A resource's or target's in/out/fault sequence: inline (`<inSequence>...`) or by name (`inSequence="x"`).
 * The fault sequence is added first so that the in-sequence can name it as its onError.
 */
function flowSequences(el: XmlElement, ctx: ArtifactBuildContext, base: string): { inSequence?: string; outSequence?: string; faultSequence?: string } {
  const pick = (kind: 'inSequence' | 'outSequence' | 'faultSequence', onError?: string): string | undefined => {
    const inline = child(el, kind);
    const named = el.attributes[kind];
    const synthetic = `${base}:${kind.replace('Sequence', '')}`;
    if (named) return referenceSequence(ctx, ctx.sequenceFrom(undefined, synthetic, onError)!, named, el.line);
    // An empty <outSequence/> or <faultSequence/> (as Integration Studio writes them) means none.
    if (!inline || (kind !== 'inSequence' && inline.children.length === 0)) return undefined;
    return ctx.sequenceFrom(inline, synthetic, onError);
  };
  const faultSequence = pick('faultSequence');
  return { inSequence: pick('inSequence', faultSequence), outSequence: pick('outSequence', faultSequence), faultSequence };
}

/** `inSequence="name"`: a synthetic sequence that calls the named one, so validation reports a missing name. */
function referenceSequence(ctx: ArtifactBuildContext, synthetic: string, target: string, line: number): string {
  ctx.set.flow.sequences.get(synthetic)!.mediators.push({ kind: 'sequence', key: target, file: ctx.file, line });
  return synthetic;
}

const api: ArtifactKindHandler = (el, ctx) => {
  const name = el.attributes.name;
  let context = el.attributes.context;
  if (!name || !context) {
    ctx.error(el, '<api> needs name="..." and context="/..."');
    return;
  }
  if (!context.startsWith('/')) context = `/${context}`;
  const { version } = el.attributes;
  const versionType = el.attributes['version-type'];
  if (version && (versionType === 'context' || versionType === 'url')) {
    context = context.includes('{version}') ? context.replace('{version}', version) : `${context.replace(/\/$/, '')}/${version}`;
  }
  const resources: ResourceArtifact[] = [];
  el.children.forEach((r, index) => {
    if (localPart(r.name) !== 'resource') {
      if (!DOCUMENTATION.has(localPart(r.name))) ctx.warn(r, `<${r.name}> in an <api> is not implemented here and has no effect`);
      return;
    }
    const methods = (r.attributes.methods ?? '').split(/\s+/).filter(Boolean).map((m) => m.toUpperCase());
    for (const m of methods) if (!HTTP_METHODS.has(m)) ctx.error(r, `resource method '${m}' is not one of ${[...HTTP_METHODS].join(', ')}`);
    const uriTemplate = r.attributes['uri-template'];
    const urlMapping = r.attributes['url-mapping'];
    if (uriTemplate !== undefined && urlMapping !== undefined) ctx.error(r, 'a <resource> has either uri-template or url-mapping, not both');
    const sequences = flowSequences(r, ctx, `api:${name}/${index}`);
    if (!sequences.inSequence) {
      ctx.error(r, `resource ${methods.join(' ') || '(any method)'} ${uriTemplate ?? urlMapping ?? '/'} of api '${name}' has no inSequence`);
      return;
    }
    resources.push({
      methods,
      ...(uriTemplate !== undefined ? { uriTemplate } : {}),
      ...(urlMapping !== undefined ? { urlMapping } : {}),
      inSequence: sequences.inSequence,
      ...(sequences.outSequence ? { outSequence: sequences.outSequence } : {}),
      ...(sequences.faultSequence ? { faultSequence: sequences.faultSequence } : {}),
      file: ctx.file,
      line: r.line,
    });
  });
  if (ctx.set.apis.some((a) => a.name === name)) ctx.error(el, `api '${name}' is defined twice`);
  ctx.set.apis.push({ name, context: context.replace(/\/+$/, '') || '/', resources, file: ctx.file, line: el.line });
};

const proxy: ArtifactKindHandler = (el, ctx) => {
  const name = el.attributes.name;
  const target = child(el, 'target');
  if (!name || !target) {
    ctx.error(el, '<proxy> needs name="..." and a <target>');
    return;
  }
  for (const c of el.children) {
    if (localPart(c.name) !== 'target' && !DOCUMENTATION.has(localPart(c.name))) ctx.warn(c, `<${c.name}> in a <proxy> is not implemented here and has no effect`);
  }
  const sequences = flowSequences(target, ctx, `proxy:${name}`);
  // <target endpoint="name"> or <target><endpoint .../></target>: after the inSequence the message is sent there, and
  // the answer goes through the outSequence (a <send> at the end of the in-sequence, which is what Synapse does).
  const endpointEl = target.children.find((c) => localPart(c.name) === 'endpoint');
  const endpointKey = target.attributes.endpoint;
  if (endpointEl || endpointKey) {
    const send = ctx.builder.sendTo(endpointEl ?? endpointKey!, target.line);
    sequences.inSequence ??= ctx.sequenceFrom(undefined, `proxy:${name}:in`, sequences.faultSequence);
    if (send && sequences.inSequence) ctx.set.flow.sequences.get(sequences.inSequence)!.mediators.push(send);
  }
  if (!sequences.inSequence) {
    ctx.error(target, `proxy '${name}' has no inSequence and no endpoint`);
    return;
  }
  if (ctx.set.proxies.some((p) => p.name === name)) ctx.error(el, `proxy '${name}' is defined twice`);
  ctx.set.proxies.push({ name, inSequence: sequences.inSequence, ...sequences, file: ctx.file, line: el.line } as never);
};

const task: ArtifactKindHandler = (el, ctx) => {
  const name = el.attributes.name;
  if (!name) {
    ctx.error(el, '<task> needs name="..."');
    return;
  }
  const cls = el.attributes.class ?? MESSAGE_INJECTOR;
  if (cls !== MESSAGE_INJECTOR) {
    ctx.error(el, `task '${name}': class '${cls}' is not supported (only ${MESSAGE_INJECTOR})`);
    return;
  }
  const props = new Map<string, XmlElement>();
  for (const c of el.children) if (localPart(c.name) === 'property' && c.attributes.name) props.set(c.attributes.name, c);
  const text = (key: string): string | undefined => props.get(key)?.attributes.value ?? (props.get(key)?.text.trim() || undefined);
  const triggerEl = child(el, 'trigger');
  let trigger: TaskArtifact['trigger'] | undefined;
  if (!triggerEl) ctx.error(el, `task '${name}' has no <trigger interval="seconds"> or <trigger cron="...">`);
  else if (triggerEl.attributes.cron) trigger = { cron: triggerEl.attributes.cron };
  else if (triggerEl.attributes.once === 'true') trigger = { once: true };
  else {
    const interval = Number(triggerEl.attributes.interval);
    const count = triggerEl.attributes.count === undefined ? -1 : Number(triggerEl.attributes.count);
    if (!(interval > 0) || !Number.isInteger(count)) ctx.error(triggerEl, `task '${name}': trigger needs interval="seconds" (> 0) and an optional whole count="runs" (-1: forever)`);
    else trigger = { interval, count };
  }
  const injectTo = text('injectTo') ?? (props.has('proxyName') ? 'proxy' : 'sequence');
  let sequence: string | undefined;
  if (injectTo === 'sequence') {
    const seqName = text('sequenceName');
    if (!seqName) ctx.error(el, `task '${name}' injects into a sequence but has no sequenceName property`);
    else sequence = referenceSequence(ctx, ctx.sequenceFrom(undefined, `task:${name}`)!, seqName, el.line);
  } else if (injectTo === 'proxy') {
    const proxyName = text('proxyName');
    if (!proxyName) ctx.error(el, `task '${name}' injects into a proxy but has no proxyName property`);
    // The proxy may be in a later file: its inSequence is found when the server starts.
    else sequence = `proxy:${proxyName}:in`;
  } else ctx.error(el, `task '${name}': injectTo '${injectTo}' is not one of sequence, proxy`);
  const messageEl = props.get('message');
  let message: TaskArtifact['message'];
  if (messageEl) {
    const body = messageEl.attributes.value ?? (messageEl.children.length > 0 ? messageEl.children.map(serializeXml).join('') : messageEl.text.trim());
    message = { payload: body, contentType: looksJson(body) ? 'application/json' : body.startsWith('<') ? 'application/xml' : 'text/plain' };
  }
  if (trigger && sequence) ctx.set.tasks.push({ name, trigger, sequence, ...(message ? { message } : {}), file: ctx.file, line: el.line });
};

function looksJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const endpoint: ArtifactKindHandler = (el, ctx) => {
  const name = el.attributes.name;
  if (!name) {
    ctx.error(el, '<endpoint> needs name="..."');
    return;
  }
  const target = el.children.find((c) => ['address', 'http'].includes(localPart(c.name)));
  const address = target?.attributes.uri ?? target?.attributes['uri-template'];
  ctx.set.endpoints.set(name, { name, ...(address ? { address } : {}), file: ctx.file, line: el.line });
  // The flows' <call>/<send> find it by key; the builder reports a duplicate name and what it cannot run.
  ctx.builder.addEndpoint(ctx.set.flow, el);
};

const sequence: ArtifactKindHandler = (el, ctx) => {
  const seq = ctx.builder.sequence(el, false, el.attributes.name ?? basename(ctx.file).replace(/\.xml$/, ''));
  ctx.builder.addSequence(ctx.set.flow, seq);
};

const template: ArtifactKindHandler = (el, ctx) => ctx.builder.addTemplate(ctx.set.flow, el);

const localEntry: ArtifactKindHandler = (el, ctx) => {
  const key = el.attributes.key;
  if (key && !el.children.some((c) => c.name.endsWith('.init'))) {
    ctx.set.localValues.set(key, el.children.length > 0 ? el.children.map(serializeXml).join('') : el.text.trim());
    return;
  }
  ctx.builder.addLocalEntry(ctx.set.flow, el);
};

export const BUILT_IN_KINDS: Record<string, ArtifactKindHandler> = { api, proxy, task, endpoint, sequence, template, localEntry };
