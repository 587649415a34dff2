// The encoded-query rule for multi-step operations: a step's `<with template>` that fills a parameter of type
// encodedQuery of the step's operation (e.g. `sysparmQuery` = `user_name={{userName}}`) places the operation's own
// parameter values inside an encoded query, so those values are checked like those of `<query template>` before
// the step runs. Values read from earlier steps' payloads come from the instance and are left as they are.
import { refuseBadEncodedQuery, refuseValueInQuery } from './encoded-query-values.js';
import { toText } from './compile-call.js';
import type { CompiledStep } from './steps.js';
import type { OperationDescriptor, ParameterDescriptor } from './types.js';

interface GuardedOperation {
  descriptor: OperationDescriptor;
  parameters: { lookup: Map<string, ParameterDescriptor> };
  steps?: CompiledStep[];
}

/** Wraps the parameter builder of every step whose templates write into an encoded query. Run once at load. */
export function guardStepQueries(operations: readonly GuardedOperation[]): void {
  const byName = new Map(operations.map((o) => [o.descriptor.name, o]));
  for (const op of operations) {
    if (!op.steps || !op.descriptor.steps) continue;
    op.steps.forEach((compiled, i) => {
      const step = op.descriptor.steps!.steps[i]!;
      const target = byName.get(step.operation);
      const checks: Array<{ parameter: string; wholeQuery: boolean }> = [];
      for (const w of step.with) {
        if (w.template === undefined || target?.parameters.lookup.get(w.name)?.type !== 'encodedQuery') continue;
        for (const name of parametersRead(w.template)) {
          const param = op.parameters.lookup.get(name);
          if (param?.name !== name || checks.some((c) => c.parameter === name)) continue;
          checks.push({ parameter: name, wholeQuery: param.type === 'encodedQuery' });
        }
      }
      if (checks.length === 0) return;
      const build = compiled.parameters;
      const operation = op.descriptor.name;
      compiled.parameters = (context) => {
        for (const { parameter, wholeQuery } of checks) {
          const value = context[parameter];
          if (value === undefined || value === null) continue;
          (wholeQuery ? refuseBadEncodedQuery : refuseValueInQuery)(operation, parameter, toText(value));
        }
        return build(context);
      };
    });
  }
}

/** Names used inside the template's {{...}} expressions (quoted strings left out); over-reading only checks more. */
function parametersRead(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(/\{\{([^}]*)\}\}/g)) {
    const expression = m[1]!.replace(/"[^"]*"|'[^']*'/g, ' ');
    for (const word of expression.matchAll(/(?<![.\w])[A-Za-z_][A-Za-z0-9_]*/g)) names.add(word[0]);
  }
  return [...names];
}
