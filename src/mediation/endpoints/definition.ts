// What an `<endpoint>` (a named artifact or inline in `<call>` / `<send>`) says, read once at load time:
// the target (`<http method uri-template>` or `<address uri>`) and the timeout. Anything else WSO2 allows in an
// endpoint is reported: the parts that change where or whether a message goes are errors, the rest warnings.
import { parseExpression } from '../../context/index.js';
import { localPart, type XmlElement } from '../xml.js';
import { readGroup, type EndpointGroup } from './group-definition.js';
import type { SuspensionPolicy } from './suspension.js';

/** A leaf endpoint (http, address, default) or a group (failover, loadbalance) of endpoints. */
export type AnyEndpoint = EndpointDefinition | EndpointGroup;

export type EndpointFormat = 'soap11' | 'soap12' | 'pox' | 'json';
const FORMATS = new Set(['soap11', 'soap12', 'pox', 'json', 'rest']);

export type EndpointMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface EndpointDefinition {
  /** The artifact's name, or `inline` for one written inside `<call>`. */
  name: string;
  /** URL with `{uri.var.x}` (or any `{property}`) placeholders, filled from the message's properties per call. */
  uriTemplate: string;
  /** From `<http method>`; undefined: the message's HTTP_METHOD (axis2), else POST, as Synapse does. */
  method?: EndpointMethod;
  /**
   * `format=`: the message is sent as SOAP 1.1 / 1.2 (an envelope is built around a payload that is not one), as XML
   * (pox) or as JSON, converting the payload; undefined (or rest): in the message's own type (messageType wins).
   */
  format?: EndpointFormat;
  /** `<timeout><duration>` in ms; undefined: the default of 60 s (WSO2 MI's own default). */
  timeoutMs?: number;
  /** `<duration>{get-property('timeout')}</duration>`: evaluated per call (ms), as Synapse's dynamic timeout. */
  timeoutExpression?: string;
  /** `<responseAction>discard</responseAction>`: a timed-out call drops the message (no fault sequence runs). */
  discardOnTimeout?: boolean;
  /** `<retryConfig>`: whether a failover/loadbalance parent tries another endpoint after this one failed with a code. */
  retry?: { disabledCodes?: ReadonlySet<string>; enabledCodes?: ReadonlySet<string> };
  /** From `<suspendOnFailure>` / `<markForSuspension>`; undefined: the endpoint is never suspended. */
  suspension?: SuspensionPolicy;
  file: string;
  line: number;
}

export interface EndpointProblems {
  error(at: { line: number }, message: string): void;
  warn(at: { line: number }, message: string): void;
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** Endpoint kinds not implemented: a WSDL-described service, a recipient list, an endpoint template. */
const REFUSED_KINDS = new Set(['wsdl', 'recipientlist', 'template']);
/** `<default>`: the message's To address (set by `<header name="To">` or a clone/iterate `<target to>`), as Synapse does. */
const TO_ADDRESS = '{+To}';
/** Parts of an endpoint that tune behaviour this runtime does not have; loading goes on without them. */
const IGNORED_PARTS = new Set(['enableAddressing', 'enableSec', 'enableRM', 'property', 'description', 'authentication']);
/** `{name}` or `{+name}` at the very start of an address: the base URL comes from a property at run time. */
export const LEADING_PLACEHOLDER = /^\{\+?[A-Za-z_][\w.-]*\}/;

/** Reads an `<endpoint>` element; undefined (after an error) when it names no usable target. */
export function readEndpoint(el: XmlElement, file: string, problems: EndpointProblems, name = el.attributes.name ?? 'inline'): AnyEndpoint | undefined {
  // <session> sits beside <loadbalance> in the same <endpoint>; the group reads it.
  const targets = el.children.filter((c) => localPart(c.name) !== 'description' && localPart(c.name) !== 'session');
  const target = targets[0];
  if (!target || targets.length > 1) {
    problems.error(el, `endpoint '${name}' needs exactly one <http>, <address>, <default>, <failover> or <loadbalance> child`);
    return undefined;
  }
  const kind = localPart(target.name);
  if (kind === 'failover' || kind === 'loadbalance') return readGroup(el, target, kind, name, file, problems, readEndpoint);
  if (el.children.some((c) => localPart(c.name) === 'session')) problems.error(el, `endpoint '${name}': <session> goes with <loadbalance> only`);
  if (REFUSED_KINDS.has(kind)) {
    problems.error(target, `endpoint '${name}': <${kind}> endpoints are not supported (only <http>, <address>, <default>, <failover> and <loadbalance>)`);
    return undefined;
  }
  if (kind !== 'http' && kind !== 'address' && kind !== 'default') {
    problems.error(target, `endpoint '${name}': <${kind}> is not an endpoint kind this runtime knows (expected <http>, <address>, <default>, <failover> or <loadbalance>)`);
    return undefined;
  }
  const uriTemplate = kind === 'http' ? target.attributes['uri-template'] : kind === 'address' ? target.attributes.uri : TO_ADDRESS;
  if (!uriTemplate) {
    problems.error(target, `endpoint '${name}': <${kind}> needs ${kind === 'http' ? 'uri-template' : 'uri'}="http://..."`);
    return undefined;
  }
  // A template may also start with a property holding the whole base URL (`{uri.var.backendUrl}/items`), as the
  // WSO2 docs show for addresses chosen at run time; the expanded URL is checked on each call instead.
  if (!/^https?:\/\//i.test(uriTemplate) && !LEADING_PLACEHOLDER.test(uriTemplate)) {
    problems.error(target, `endpoint '${name}': the address '${uriTemplate}' is not an http:// or https:// URL (nor starts with a {property} holding one)`);
    return undefined;
  }
  const def: EndpointDefinition = { name, uriTemplate, file, line: el.line };
  const method = target.attributes.method;
  if (method !== undefined && method !== '') {
    if (!METHODS.has(method.toUpperCase())) problems.error(target, `endpoint '${name}': method '${method}' is not one of ${[...METHODS].join(', ')}`);
    else def.method = method.toUpperCase() as EndpointMethod;
  }
  const format = target.attributes.format;
  if (format !== undefined && format !== '') {
    if (!FORMATS.has(format)) problems.error(target, `endpoint '${name}': format '${format}' is not one of ${[...FORMATS].join(', ')} (format="get" is not implemented)`);
    else if (format !== 'rest') def.format = format as EndpointFormat;
  }
  for (const part of target.children) {
    const partName = localPart(part.name);
    if (partName === 'timeout') readTimeout(part, def, problems);
    else if (partName === 'suspendOnFailure' || partName === 'markForSuspension') readSuspension(part, partName, def, problems);
    else if (partName === 'retryConfig') readRetryConfig(part, def, problems);
    else if (IGNORED_PARTS.has(partName)) problems.warn(part, `endpoint '${name}': <${partName}> is not implemented here and has no effect`);
    else problems.error(part, `endpoint '${name}': <${partName}> is not expected in <${kind}>`);
  }
  return def;
}

function readTimeout(el: XmlElement, def: EndpointDefinition, problems: EndpointProblems): void {
  for (const c of el.children) {
    const text = c.text.trim();
    if (localPart(c.name) === 'duration') {
      if (/^\{.*\}$/s.test(text)) {
        // A dynamic timeout: {get-property('timeout')}, {$ctx:x}, evaluated for each call.
        try {
          parseExpression(text);
          def.timeoutExpression = text;
        } catch (err) {
          problems.error(c, `endpoint '${def.name}': <duration> ${text}: ${(err as Error).message}`);
        }
      } else if (!/^\d+$/.test(text) || Number(text) === 0 || Number(text) > 3_600_000) problems.error(c, `endpoint '${def.name}': <duration> must be a whole number of milliseconds from 1 to 3600000 (or {expression}), not '${text}'`);
      else def.timeoutMs = Number(text);
    } else if (localPart(c.name) === 'responseAction') {
      const action = text.toLowerCase();
      if (action !== 'fault' && action !== 'discard') problems.error(c, `endpoint '${def.name}': <responseAction> must be fault or discard, not '${text}'`);
      else if (action === 'discard') def.discardOnTimeout = true;
    } else problems.error(c, `endpoint '${def.name}': <${c.name}> is not expected in <timeout> (expected <duration>, <responseAction>)`);
  }
}

/** Comma-separated Synapse error codes; `-1` (the docs' way of saying none) is kept and matches no failure. */
function errorCodes(c: XmlElement, def: EndpointDefinition, problems: EndpointProblems): Set<string> | undefined {
  const codes = c.text.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = codes.find((x) => !/^\d{6}$/.test(x) && x !== '-1');
  if (bad !== undefined || codes.length === 0) {
    problems.error(c, `endpoint '${def.name}': <${localPart(c.name)}> must be six-digit codes separated by commas (e.g. 101503,101504) or -1, not '${c.text.trim()}'`);
    return undefined;
  }
  return new Set(codes);
}

function readRetryConfig(el: XmlElement, def: EndpointDefinition, problems: EndpointProblems): void {
  const retry: NonNullable<EndpointDefinition['retry']> = {};
  for (const c of el.children) {
    const name = localPart(c.name);
    if (name !== 'disabledErrorCodes' && name !== 'enabledErrorCodes') {
      problems.error(c, `endpoint '${def.name}': <${name}> is not expected in <retryConfig> (expected <disabledErrorCodes> or <enabledErrorCodes>)`);
      continue;
    }
    const codes = errorCodes(c, def, problems);
    if (codes) retry[name === 'disabledErrorCodes' ? 'disabledCodes' : 'enabledCodes'] = codes;
  }
  if (retry.disabledCodes && retry.enabledCodes) problems.error(el, `endpoint '${def.name}': <retryConfig> takes enabled or disabled error codes, not both`);
  def.retry = retry;
}

/** Synapse's defaults: suspend for 30 s, no progression, at most a day; a timeout (101504) first marks, no retries. */
function defaultPolicy(): SuspensionPolicy {
  return { initialMs: 30_000, progressionFactor: 1, maxMs: 86_400_000, markCodes: new Set(['101504']), retriesBeforeSuspension: 0, retryDelayMs: 0 };
}

type NumericSetting = 'initialMs' | 'progressionFactor' | 'maxMs' | 'retriesBeforeSuspension' | 'retryDelayMs';
const SUSPEND_SETTINGS: Record<string, NumericSetting> = { initialDuration: 'initialMs', progressionFactor: 'progressionFactor', maximumDuration: 'maxMs' };
const MARK_SETTINGS: Record<string, NumericSetting> = { retriesBeforeSuspension: 'retriesBeforeSuspension', retryDelay: 'retryDelayMs' };

function readSuspension(el: XmlElement, part: 'suspendOnFailure' | 'markForSuspension', def: EndpointDefinition, problems: EndpointProblems): void {
  const policy: SuspensionPolicy = def.suspension ?? defaultPolicy();
  def.suspension = policy;
  const number = (c: XmlElement, min: number): number | undefined => {
    const text = c.text.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value) || value < min) {
      problems.error(c, `endpoint '${def.name}': <${localPart(c.name)}> must be a number >= ${min}, not '${text}'`);
      return undefined;
    }
    return value;
  };
  for (const c of el.children) {
    const name = localPart(c.name);
    if (name === 'errorCodes') {
      const codes = errorCodes(c, def, problems);
      if (codes && part === 'suspendOnFailure') policy.suspendCodes = codes;
      else if (codes) policy.markCodes = codes;
      continue;
    }
    const table = part === 'suspendOnFailure' ? SUSPEND_SETTINGS : MARK_SETTINGS;
    const key: NumericSetting | undefined = Object.hasOwn(table, name) ? table[name] : undefined;
    if (key === undefined) {
      problems.error(c, `endpoint '${def.name}': <${name}> is not expected in <${part}>`);
      continue;
    }
    // <initialDuration>-1</initialDuration> (as in many MI documentation examples) means "never suspend": 0 ms here.
    if (key === 'initialMs' && c.text.trim() === '-1') {
      policy.initialMs = 0;
      continue;
    }
    const value = number(c, key === 'progressionFactor' ? 1 : 0);
    if (value !== undefined) policy[key] = value;
  }
}
