// Load-time reading of the splitting and gathering mediators (`<iterate>`, `<clone>`, `<aggregate>`): every
// attribute checked, expressions compiled once, targets built as mediators or endpoints. Problems are reported
// with their lines through the builder's tools, as for every other mediator.
import type { ExprNode } from '../context/index.js';
import { isPayloadPath } from './build.js';
import { readEndpoint } from './endpoints/definition.js';
import type { MediatorBuildTools } from './extensions.js';
import type { AggregateMediator, CloneMediator, IterateMediator, SplitTarget } from './model.js';
import type { XmlElement } from './xml.js';

const IGNORED = new Set(['description', 'comment']);

/**
 * A JSON expression (json-eval(...), ${...}) or an XPath over an XML payload (compiled with the element's namespaces).
 * `kind` tells which, so that a mediator can refuse mixing them.
 */
function pathExpression(tools: MediatorBuildTools, el: XmlElement, text: string, what: string): ExprNode | undefined {
  const node = tools.expression(el, text.trim(), what);
  if (node && node.kind !== 'xpath' && !text.trim().startsWith('json-eval(') && !text.trim().startsWith('${')) {
    tools.error(el, `${what} '${text}' must be a JSON path (json-eval($.items), \${payload.items}) or an XPath`);
    return undefined;
  }
  return node;
}

function flag(tools: MediatorBuildTools, el: XmlElement, name: string): boolean {
  const v = el.attributes[name];
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') tools.error(el, `<${el.name}> ${name}="${v}" must be true or false`);
  return v === 'true';
}

function target(tools: MediatorBuildTools, el: XmlElement, owner: string): SplitTarget {
  const t: SplitTarget = { file: tools.file, line: el.line };
  for (const name of Object.keys(el.attributes)) {
    if (name === 'sequence') t.sequenceKey = el.attributes.sequence;
    else if (name === 'endpoint') t.endpoint = { key: el.attributes.endpoint! };
    else if (name === 'to' || name === 'soapAction') t[name] = el.attributes[name];
    else if (!name.startsWith('xmlns')) tools.warn(el, `<target> attribute ${name}="${el.attributes[name]}" is not implemented here and has no effect`);
  }
  for (const c of el.children) {
    if (c.name === 'sequence') {
      if (c.attributes.key) t.sequenceKey = c.attributes.key;
      else t.body = tools.mediators(c.children);
    } else if (c.name === 'endpoint') {
      if (c.attributes.key !== undefined) t.endpoint = { key: c.attributes.key };
      else {
        const inline = readEndpoint(c, tools.file, { error: tools.error, warn: tools.warn });
        if (inline) t.endpoint = { inline };
      }
    } else if (!IGNORED.has(c.name)) tools.error(c, `<${c.name}> is not expected in a <target> of <${owner}> (expected <sequence> or <endpoint>)`);
  }
  const kinds = [t.body, t.sequenceKey, t.endpoint].filter((x) => x !== undefined).length;
  if (kinds === 0) tools.error(el, `a <target> of <${owner}> needs a <sequence>, sequence="name" or an <endpoint>`);
  else if (t.body === undefined && t.sequenceKey !== undefined && t.endpoint !== undefined) {
    tools.warn(el, `a <target> with both a sequence and an endpoint runs the sequence only (as in Synapse)`);
  }
  return t;
}

export function buildIterate(el: XmlElement, tools: MediatorBuildTools): IterateMediator | undefined {
  const text = el.attributes.expression;
  if (text === undefined) {
    tools.error(el, '<iterate> needs expression="json-eval($.items)"');
    return undefined;
  }
  const expression = pathExpression(tools, el, text, 'iterate expression');
  const preservePayload = flag(tools, el, 'preservePayload');
  const attachText = el.attributes.attachPath;
  let attachPath: ExprNode | undefined;
  if (attachText !== undefined) {
    if (!preservePayload) tools.error(el, '<iterate> attachPath needs preservePayload="true" (as in Synapse)');
    attachPath = pathExpression(tools, el, attachText, 'iterate attachPath');
    if (attachPath && expression && (attachPath.kind === 'xpath') !== (expression.kind === 'xpath')) {
      tools.error(el, '<iterate> expression and attachPath must both be XPath or both JSON paths (as in Synapse)');
    } else if (attachPath && attachPath.kind !== 'xpath' && !isPayloadPath(attachPath)) {
      tools.error(el, `iterate attachPath '${attachText}' must be a path into the payload such as json-eval($.placeHolder)`);
    }
  }
  const targets = el.children.filter((c) => c.name === 'target');
  for (const c of el.children) if (c.name !== 'target' && !IGNORED.has(c.name)) tools.error(c, `<${c.name}> is not expected in <iterate> (expected one <target>)`);
  if (targets.length !== 1) {
    tools.error(el, '<iterate> needs exactly one <target>');
    return undefined;
  }
  if (!expression) return undefined;
  return {
    kind: 'iterate',
    ...(el.attributes.id ? { id: el.attributes.id } : {}),
    expression,
    expressionText: text,
    ...(attachPath && attachPath.kind !== 'payload' ? { attachPath, attachPathText: attachText } : {}),
    preservePayload,
    sequential: flag(tools, el, 'sequential'),
    continueParent: flag(tools, el, 'continueParent'),
    target: target(tools, targets[0]!, 'iterate'),
    file: tools.file,
    line: el.line,
  };
}

export function buildClone(el: XmlElement, tools: MediatorBuildTools): CloneMediator | undefined {
  if (el.attributes.iterations !== undefined) tools.error(el, '<clone iterations="..."> is not supported (write one <target> per copy)');
  const targets = el.children.filter((c) => c.name === 'target');
  for (const c of el.children) if (c.name !== 'target' && !IGNORED.has(c.name)) tools.error(c, `<${c.name}> is not expected in <clone> (expected <target>s)`);
  if (targets.length === 0) {
    tools.error(el, '<clone> needs at least one <target>');
    return undefined;
  }
  return {
    kind: 'clone',
    ...(el.attributes.id ? { id: el.attributes.id } : {}),
    sequential: flag(tools, el, 'sequential'),
    continueParent: flag(tools, el, 'continueParent'),
    targets: targets.map((t) => target(tools, t, 'clone')),
    file: tools.file,
    line: el.line,
  };
}

function count(tools: MediatorBuildTools, el: XmlElement, name: string): number {
  const v = el.attributes[name];
  if (v === undefined) return -1;
  if (!/^-?\d+$/.test(v.trim())) {
    tools.error(el, `<messageCount> ${name}="${v}" must be a whole number (-1: not set)`);
    return -1;
  }
  return Number(v);
}

export function buildAggregate(el: XmlElement, tools: MediatorBuildTools): AggregateMediator | undefined {
  let correlateOn: ExprNode | undefined;
  let timeoutMs = 0;
  let min = -1;
  let max = -1;
  let onCompleteEl: XmlElement | undefined;
  for (const c of el.children) {
    if (c.name === 'correlateOn') {
      const text = c.attributes.expression;
      if (text === undefined) tools.error(c, '<correlateOn> needs expression="json-eval(...)"');
      else correlateOn = pathExpression(tools, c, text, 'aggregate correlateOn');
    } else if (c.name === 'completeCondition') {
      const t = c.attributes.timeout;
      if (t !== undefined) {
        const seconds = Number(t);
        if (t.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) tools.error(c, `<completeCondition> timeout="${t}" must be a number of seconds from 0 to 86400`);
        else timeoutMs = Math.round(seconds * 1000);
      }
      for (const mc of c.children) {
        if (mc.name === 'messageCount') {
          min = count(tools, mc, 'min');
          max = count(tools, mc, 'max');
        } else if (!IGNORED.has(mc.name)) tools.error(mc, `<${mc.name}> is not expected in <completeCondition> (expected <messageCount min max>)`);
      }
    } else if (c.name === 'onComplete') onCompleteEl = c;
    else if (!IGNORED.has(c.name)) tools.error(c, `<${c.name}> is not expected in <aggregate> (expected <correlateOn>, <completeCondition>, <onComplete>)`);
  }
  if (!onCompleteEl) {
    tools.error(el, '<aggregate> needs an <onComplete expression="json-eval(...)">');
    return undefined;
  }
  const text = onCompleteEl.attributes.expression;
  if (text === undefined) {
    tools.error(onCompleteEl, '<onComplete> needs expression="json-eval($...)": what each message contributes');
    return undefined;
  }
  const expression = pathExpression(tools, onCompleteEl, text, 'aggregate onComplete expression');
  const type = onCompleteEl.attributes.aggregateElementType ?? 'root';
  if (type !== 'root' && type !== 'child') tools.error(onCompleteEl, `aggregateElementType="${type}" must be root or child`);
  const onCompleteKey = onCompleteEl.attributes.sequence;
  const onComplete = tools.mediators(onCompleteEl.children);
  if (onCompleteKey !== undefined && onComplete.length > 0) tools.error(onCompleteEl, '<onComplete> has either sequence="name" or mediators inside, not both');
  if (!expression) return undefined;
  return {
    kind: 'aggregate',
    ...(el.attributes.id ? { id: el.attributes.id } : {}),
    ...(correlateOn ? { correlateOn } : {}),
    timeoutMs,
    min,
    max,
    expression,
    expressionText: text,
    elementType: type === 'child' ? 'child' : 'root',
    ...(onCompleteEl.attributes.enclosingElementProperty ? { enclosingProperty: onCompleteEl.attributes.enclosingElementProperty } : {}),
    onComplete,
    ...(onCompleteKey !== undefined ? { onCompleteKey } : {}),
    file: tools.file,
    line: el.line,
  };
}
