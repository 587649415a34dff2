// The public description of an operation (for `snconnect operations`, docs and the mediation engine).
import type { CompiledOperation } from '../catalogue/index.js';
import type { OperationInfo, ParameterInfo } from './types.js';

export function operationInfo(op: CompiledOperation): OperationInfo {
  const d = op.descriptor;
  return {
    name: d.name,
    aliases: [...d.aliases],
    description: d.description,
    parameters: d.parameters.map((p) => {
      const info: ParameterInfo = { name: p.name, description: p.description, required: p.required, type: p.type };
      if (p.default !== undefined) info.default = p.default;
      if (p.enum) info.enum = [...p.enum];
      if (p.pattern) info.pattern = p.pattern;
      if (p.aliases.length > 0) info.aliases = [...p.aliases];
      if (p.type === 'json') info.shape = p.shape;
      if (p.minimum !== undefined) info.minimum = p.minimum;
      if (p.maximum !== undefined) info.maximum = p.maximum;
      if (p.requiredWhen) info.requiredWhen = `${p.requiredWhen.parameter}=${p.requiredWhen.equals}`;
      if (p.secret) info.secret = true;
      if (p.env) info.env = p.env;
      return info;
    }),
    ...(d.call ? { call: `${d.call.method} ${d.call.path}` } : {}),
    // A multi-step operation (<steps>) lists the operations it runs.
    ...(d.steps ? { call: `steps: ${d.steps.steps.map((s) => s.operation).join(' -> ')}` } : {}),
    ...(d.paging ? { paging: { ...(d.paging.allPagesFrom ? { allPagesParameter: d.paging.allPagesFrom } : {}), records: d.paging.records ?? 'result' } } : {}),
  };
}
