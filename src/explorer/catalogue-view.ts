// The catalogue as the explorer's page shows it: operations grouped by the API they call, each with its
// parameters in the same groups as the WSO2 MI forms (Input, Query Parameters, All Pages, Advanced), and the
// connection (init) form whose fields follow the auth type.
import type { Catalogue, CompiledOperation, ParameterDescriptor } from '../catalogue/index.js';
import { connectionConditions, groupParameters } from '../docs/mi-export.js';
import type { FieldView, OperationGroupView, OperationView } from './api-types.js';

export function operationGroups(catalogue: Catalogue): OperationGroupView[] {
  const groups = new Map<string, OperationView[]>();
  for (const op of catalogue.operations) {
    const name = apiOf(op);
    groups.set(name, [...(groups.get(name) ?? []), operationView(op)]);
  }
  return [...groups].map(([name, operations]) => ({ name, operations }));
}

export function operationView(op: CompiledOperation): OperationView {
  const d = op.descriptor;
  const view: OperationView = {
    name: d.name,
    aliases: [...d.aliases],
    description: d.description,
    groups: groupParameters(op).map(([name, params]) => ({ name, fields: params.map((p) => fieldView(p)) })),
  };
  if (d.call) view.call = `${d.call.method} ${d.call.path}`;
  if (d.steps) view.call = `steps: ${d.steps.steps.map((s) => s.operation).join(' -> ')}`;
  if (d.paging) view.paging = { ...(d.paging.allPagesFrom ? { allPagesParameter: d.paging.allPagesFrom } : {}), records: d.paging.records ?? 'result' };
  return view;
}

/** The connection form: one group; a field that applies only for one auth type says so in `when`. */
export function initView(catalogue: Catalogue): OperationView {
  const init = catalogue.init;
  const conditions = connectionConditions(init);
  return {
    name: init.descriptor.name,
    aliases: [],
    description: init.descriptor.description,
    groups: [
      {
        name: 'Connection',
        fields: init.descriptor.parameters.map((p) => {
          const when = conditions.get(p.name)?.[0];
          const [parameter, equals] = when ? Object.entries(when)[0]! : [];
          return fieldView(p, parameter !== undefined && equals !== undefined ? { parameter, equals } : undefined);
        }),
      },
    ],
  };
}

function fieldView(p: ParameterDescriptor, when?: { parameter: string; equals: string }): FieldView {
  const f: FieldView = { name: p.name, description: p.description, required: p.required, type: p.type };
  if (p.default !== undefined) f.default = p.default;
  if (p.enum) f.enum = [...p.enum];
  if (p.pattern) f.pattern = p.pattern;
  if (p.minimum !== undefined) f.minimum = p.minimum;
  if (p.maximum !== undefined) f.maximum = p.maximum;
  if (p.type === 'json') f.shape = p.shape;
  if (p.aliases.length > 0) f.aliases = [...p.aliases];
  if (p.secret) f.secret = true;
  if (p.env) f.env = p.env;
  if (when) f.when = when;
  return f;
}

/** The API an operation calls: its path up to the first placeholder, at most three segments (e.g. /api/x/table). */
function apiOf(op: CompiledOperation): string {
  const d = op.descriptor;
  if (d.steps) return 'Multi-step';
  if (!d.call) return 'Other';
  const fixed = d.call.path.split('/').filter((s) => s.length > 0);
  const cut = fixed.findIndex((s) => s.includes('{'));
  return '/' + fixed.slice(0, Math.min(cut < 0 ? fixed.length : cut, 3)).join('/');
}
