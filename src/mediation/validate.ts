// Checks a parsed flow against the connector's catalogue and against itself, before anything runs:
// unknown operations, missing required parameters, names of sequences, templates and configKeys.
import { referencedKeys } from './endpoints/group-definition.js';
import type { AnyEndpoint } from './endpoints/definition.js';
import { compileJsonSchema } from './mediators/json-schema.js';
import { schemaText } from './mediators/validate-run.js';
import { checkXmlSchema, isXmlSchemaText } from './mediators/xml-schema.js';
import type { Connector } from '../invoke/types.js';
import type { FlowIssue } from './build.js';
import type { ConnectorOperationMediator, Flow, Mediator } from './model.js';

export function validateFlow(flow: Flow, connector: Connector): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const error = (at: { file: string; line: number }, message: string) => issues.push({ file: at.file, line: at.line, message, severity: 'error' });
  const warn = (at: { file: string; line: number }, message: string) => issues.push({ file: at.file, line: at.line, message, severity: 'warning' });

  const checkOperation = (m: ConnectorOperationMediator) => {
    const info = connector.describe(m.operation);
    if (!info) {
      if (m.operation !== 'init') {
        const known = connector.operations().map((o) => o.name);
        error(m, `unknown operation <${m.element}> (operations: ${known.join(', ')})`);
      }
      return;
    }
    const given = new Set(m.params.filter((p) => p.raw !== '').map((p) => p.name.toLowerCase()));
    const declared = new Set(info.parameters.flatMap((p) => [p.name, ...(p.aliases ?? [])]).map((n) => n.toLowerCase()));
    for (const p of info.parameters) {
      if (p.required && p.default === undefined && ![p.name, ...(p.aliases ?? [])].some((n) => given.has(n.toLowerCase()))) {
        error(m, `<${m.element}> misses the required parameter <${p.name}>`);
      }
    }
    for (const p of m.params) {
      if (!declared.has(p.name.toLowerCase()) && !(m.operation === 'init' && p.name === 'name')) {
        warn({ file: m.file, line: p.line }, `<${m.element}> has no parameter <${p.name}>; it is ignored`);
      }
    }
    if (m.configKey && !flow.localEntries.has(m.configKey)) error(m, `configKey '${m.configKey}' names no <localEntry> in this file`);
  };

  /** A failover/loadbalance group's `<endpoint key>` children must name endpoint artifacts. */
  const checkGroup = (ep: AnyEndpoint) => {
    for (const ref of referencedKeys(ep)) if (!flow.endpoints.has(ref.key)) error({ file: 'group' in ep ? ep.file : flow.file, line: ref.line }, `endpoint '${ep.name}' names no <endpoint> '${ref.key}'`);
  };

  const visit = (mediators: readonly Mediator[]) => {
    for (const m of mediators) {
      switch (m.kind) {
        case 'connector':
          checkOperation(m);
          break;
        case 'sequence':
          if (!flow.sequences.has(m.key)) error(m, `no sequence named '${m.key}'`);
          break;
        case 'call-template': {
          const t = flow.templates.get(m.target);
          if (!t) error(m, `no template named '${m.target}'`);
          else {
            for (const p of t.parameters) {
              if (p.required && p.defaultValue === undefined && !m.params.some((w) => w.name === p.name)) {
                error(m, `call-template '${m.target}' misses the parameter '${p.name}'`);
              }
            }
          }
          break;
        }
        case 'call':
          if ('key' in m.endpoint && !flow.endpoints.has(m.endpoint.key)) error(m, `<${m.respond ? 'send' : 'call'}> names no <endpoint> '${m.endpoint.key}'`);
          if ('inline' in m.endpoint) checkGroup(m.endpoint.inline);
          if (m.receive && !flow.sequences.has(m.receive)) error(m, `<send receive="${m.receive}"> names no sequence`);
          break;
        case 'validate': {
          const text = schemaText(flow, m.schemaKey);
          const problem = text === undefined ? undefined : isXmlSchemaText(text) ? checkXmlSchema(text, m.schemaKey) : ((s) => ('problem' in s ? s.problem : undefined))(compileJsonSchema(text));
          if (text === undefined) error(m, `<validate>: no <localEntry key="${m.schemaKey}"> or registry resource holding a JSON or XML Schema`);
          else if (problem) error(m, `<validate>: the schema '${m.schemaKey}' ${problem}`);
          for (const r of m.resources ?? []) if (schemaText(flow, r.key) === undefined) error(m, `<validate>: <resource key="${r.key}"> names no local entry or registry resource`);
          visit(m.onFail);
          break;
        }
        case 'filter':
          visit(m.then);
          visit(m.otherwise);
          break;
        case 'switch':
          for (const c of m.cases) visit(c.body);
          if (m.otherwise) visit(m.otherwise);
          break;
        case 'foreach':
          if (m.sequenceKey && !flow.sequences.has(m.sequenceKey)) error(m, `no sequence named '${m.sequenceKey}'`);
          visit(m.body);
          break;
        case 'iterate':
        case 'clone':
          for (const t of m.kind === 'iterate' ? [m.target] : m.targets) {
            if (t.sequenceKey && !flow.sequences.has(t.sequenceKey)) error(t, `<${m.kind}> target names no sequence '${t.sequenceKey}'`);
            if (t.endpoint && 'key' in t.endpoint && !flow.endpoints.has(t.endpoint.key)) error(t, `<${m.kind}> target names no <endpoint> '${t.endpoint.key}'`);
            if (t.endpoint && 'inline' in t.endpoint) checkGroup(t.endpoint.inline);
            if (t.body) visit(t.body);
          }
          break;
        case 'aggregate':
          if (m.onCompleteKey && !flow.sequences.has(m.onCompleteKey)) error(m, `<aggregate> onComplete names no sequence '${m.onCompleteKey}'`);
          visit(m.onComplete);
          break;
        default:
          break;
      }
    }
  };

  for (const seq of flow.sequences.values()) {
    if (seq.onError && !flow.sequences.has(seq.onError)) error(seq, `onError names no sequence '${seq.onError}'`);
    visit(seq.mediators);
  }
  for (const t of flow.templates.values()) visit(t.body.mediators);
  for (const ep of flow.endpoints.values()) checkGroup(ep);
  for (const entry of flow.localEntries.values()) checkOperation(entry);
  return issues;
}
