// `<failover>` and `<loadbalance>` endpoints, read at load time: a group of child endpoints (inline, or
// `<endpoint key="name"/>` references to endpoint artifacts) that one call goes to, as WSO2 MI documents them
// ("Using Failover Endpoints", "Using the Load Balance Endpoint"). How a call picks a child is in group-call.ts.
import { localPart, type XmlElement } from '../xml.js';
import type { AnyEndpoint, EndpointProblems } from './definition.js';

export interface EndpointGroup {
  /** The group's name (`<endpoint name>`), or `inline`. */
  name: string;
  group: 'failover' | 'loadbalance';
  /** In document order: an endpoint read inline, or the name of an endpoint artifact resolved at call time. */
  children: Array<AnyEndpoint | { key: string; line: number }>;
  /** `<failover dynamic="false">`: stay on the endpoint that last worked instead of going back to the first. */
  sticky?: boolean;
  /** `<loadbalance failover="false">`: a failed child's fault is the call's, no other child is tried. */
  noFailover?: boolean;
  file: string;
  line: number;
}

/** Synapse's round robin, the default (and only) algorithm here. */
const ROUND_ROBIN = 'org.apache.synapse.endpoints.algorithms.RoundRobin';

type ReadChild = (el: XmlElement, file: string, problems: EndpointProblems) => AnyEndpoint | undefined;

function flag(el: XmlElement, attr: string, name: string, problems: EndpointProblems): boolean | undefined {
  const v = el.attributes[attr];
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') problems.error(el, `endpoint '${name}': <${localPart(el.name)}> ${attr}="${v}" must be true or false`);
  return v === 'true';
}

/** Reads `<endpoint><failover|loadbalance>...</...></endpoint>`; the children are read with `readChild`. */
export function readGroup(el: XmlElement, groupEl: XmlElement, kind: 'failover' | 'loadbalance', name: string, file: string, problems: EndpointProblems, readChild: ReadChild): EndpointGroup | undefined {
  const group: EndpointGroup = { name, group: kind, children: [], file, line: el.line };
  for (const attr of Object.keys(groupEl.attributes)) {
    if (attr.startsWith('xmlns')) continue;
    if (kind === 'failover' && attr === 'dynamic') group.sticky = flag(groupEl, attr, name, problems) === false;
    else if (kind === 'loadbalance' && attr === 'failover') group.noFailover = flag(groupEl, attr, name, problems) === false;
    else if (kind === 'loadbalance' && attr === 'algorithm') {
      if (groupEl.attributes.algorithm !== ROUND_ROBIN) problems.error(groupEl, `endpoint '${name}': the load-balance algorithm '${groupEl.attributes.algorithm}' is not supported (only ${ROUND_ROBIN}, the default)`);
    } else if (attr === 'buildMessage' || attr === 'policy') flag(groupEl, attr, name, problems);
    else problems.warn(groupEl, `endpoint '${name}': <${kind}> attribute ${attr}="${groupEl.attributes[attr]}" is not implemented here and has no effect`);
  }
  const session = el.children.find((c) => localPart(c.name) === 'session');
  if (session) {
    if (kind !== 'loadbalance') problems.error(session, `endpoint '${name}': <session> goes with <loadbalance> only`);
    // Session affinity (simpleClientSession, http cookies, SOAP sessions) is not kept: each message is balanced.
    else problems.warn(session, `endpoint '${name}': <session type="${session.attributes.type ?? ''}"> is not implemented here: every message is balanced round robin, without affinity`);
  }
  for (const c of groupEl.children) {
    const childName = localPart(c.name);
    if (childName === 'description') continue;
    if (childName === 'member') {
      problems.error(c, `endpoint '${name}': <member> (dynamic load-balance members) is not supported; list <endpoint>s`);
      continue;
    }
    if (childName !== 'endpoint') {
      problems.error(c, `endpoint '${name}': <${childName}> is not expected in <${kind}> (expected <endpoint>s)`);
      continue;
    }
    if (c.attributes.key !== undefined) {
      if (c.children.some((x) => localPart(x.name) !== 'description')) problems.error(c, '<endpoint key="..."> refers to an endpoint artifact and has no children');
      group.children.push({ key: c.attributes.key, line: c.line });
      continue;
    }
    const child = readChild(c, file, problems);
    if (child) group.children.push(child);
  }
  if (group.children.length === 0) {
    problems.error(groupEl, `endpoint '${name}': <${kind}> needs at least one <endpoint>`);
    return undefined;
  }
  return group;
}

/** The endpoint artifact names a group refers to, nested groups included (checked at load). */
export function referencedKeys(ep: AnyEndpoint): Array<{ key: string; line: number }> {
  if (!('group' in ep)) return [];
  return ep.children.flatMap((c) => ('key' in c ? [c] : referencedKeys(c)));
}
