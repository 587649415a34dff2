// Multi-step operations and schema checks, the two catalogue features that run other operations:
//   <steps result="builder">            an operation made of calls to other operations of the catalogue, each
//     <step name operation [emptyError]> step's parameters given as literals or Handlebars text over the
//       <with name value|template/>       operation's parameters and the earlier steps' payloads.
//   <check kind="payload|query" ...>    before sending, compare a body or an encoded query with the table's
//                                        live schema (read with another operation, e.g. getTableSchema).
// Nothing here knows ServiceNow; result builders and check logic live in src/schema, and the loader learns which
// result builders exist from the layer above (LoadCatalogueOptions.resultBuilders), never by importing them.
import { createRequire } from 'node:module';
import { descriptorError } from './descriptor-error.js';
import type { OperationDescriptor, ParameterDescriptor } from './types.js';
import { lineOfElement } from './xml.js';

export interface StepValueDescriptor {
  name: string;
  value?: string;
  template?: string;
}

export interface StepDescriptor {
  name: string;
  operation: string;
  with: StepValueDescriptor[];
  /** Text (a template) of the NOT_FOUND error raised when the step's `result` is an empty list. */
  emptyError?: string;
}

/** What the loader checks of a result builder: the step names and parameters it reads. */
export interface ResultBuilderShape {
  steps: readonly string[];
  parameters: readonly string[];
}

/** The result builders an operation's <steps result="..."> may name, by name (filled by the layer above). */
export type ResultBuilderShapes = Readonly<Record<string, ResultBuilderShape>>;

export interface StepsDescriptor {
  /** Builder of the final result (one of LoadCatalogueOptions.resultBuilders); without one, the last step's payload. */
  result?: string;
  steps: StepDescriptor[];
}

export interface CheckDescriptor {
  /** payload: the JSON body's columns; query: the fields an encoded query names. */
  kind: 'payload' | 'query';
  /** Parameter holding the table name. */
  table: string;
  /** Boolean parameter that switches the check on. */
  when: string;
  /** For kind=query: the parameter holding the encoded query. */
  from?: string;
  /** For kind=query: the value holds conditions separated by this text instead of ^ (keyValuePairs: &). */
  split?: string;
  /** For kind=payload: whether mandatory columns must be present (creates, not updates). */
  mandatory: boolean;
  /** Operation returning the table schema; invoked with the `table` parameter under the same name. */
  schema: string;
}

const name = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;

export const stepsSchema = {
  type: 'object',
  required: ['step'],
  additionalProperties: false,
  properties: {
    result: name,
    step: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'operation'],
        additionalProperties: false,
        properties: {
          name,
          operation: name,
          emptyError: { type: 'string', minLength: 1 },
          with: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name'],
              additionalProperties: false,
              properties: { name, value: { type: 'string' }, template: { type: 'string', minLength: 1 } },
              oneOf: [{ required: ['value'] }, { required: ['template'] }],
            },
          },
        },
      },
    },
  },
} as const;

export const checkSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['kind', 'table', 'when', 'schema'],
    additionalProperties: false,
    properties: {
      kind: { type: 'string', enum: ['payload', 'query'] },
      table: name,
      when: name,
      from: name,
      split: { type: 'string', minLength: 1 },
      mandatory: { type: 'string', enum: ['true', 'false'] },
      schema: name,
    },
  },
} as const;

type Node = Record<string, unknown>;
type Attrs = Record<string, string | undefined>;

export function readSteps(node: Node): StepsDescriptor {
  const steps = (node['step'] as Node[]).map((s) => {
    const step: StepDescriptor = {
      name: s['name'] as string,
      operation: s['operation'] as string,
      with: ((s['with'] as Attrs[] | undefined) ?? []).map((w) => ({ name: w['name']!, value: w['value'], template: w['template'] })),
    };
    if (typeof s['emptyError'] === 'string') step.emptyError = s['emptyError'];
    return step;
  });
  return { result: node['result'] as string | undefined, steps };
}

export function readChecks(nodes: Attrs[]): CheckDescriptor[] {
  return nodes.map((c) => ({
    kind: c['kind'] as 'payload' | 'query',
    table: c['table']!,
    when: c['when']!,
    from: c['from'],
    ...(c['split'] ? { split: c['split'] } : {}),
    mandatory: c['mandatory'] === 'true',
    schema: c['schema']!,
  }));
}

export type StepContext = Readonly<Record<string, unknown>>;

export interface CompiledStep {
  name: string;
  operation: string;
  /** The step's parameters for this invocation. */
  parameters(context: StepContext): Record<string, unknown>;
  emptyError?: (context: StepContext) => string;
}

// Step values are text (query strings, field lists), so this environment escapes nothing and has only helpers
// that produce text. Handlebars is required on the first step template compiled, not imported (cold start).
type HandlebarsEnv = ReturnType<typeof import('handlebars').create>;
const require = createRequire(import.meta.url);
let shared: HandlebarsEnv | undefined;
function env(): HandlebarsEnv {
  if (shared) return shared;
  shared = (require('handlebars') as typeof import('handlebars')).create();
  shared.registerHelper('join', (list: unknown, separator: unknown) => (Array.isArray(list) ? list.map(String).join(typeof separator === 'string' ? separator : ',') : ''));
  /** The non-empty values of an object whose keys match a pattern, shortest key first (dot-walk depth order). */
  shared.registerHelper('valuesWhere', (object: unknown, keyPattern: unknown) => {
    if (!object || typeof object !== 'object' || typeof keyPattern !== 'string') return [];
    const re = new RegExp(keyPattern);
    const entries = Object.entries(object as Record<string, unknown>).filter(([k, v]) => re.test(k) && v !== '' && v !== null && v !== undefined);
    return entries.sort((a, b) => a[0].length - b[0].length).map(([, v]) => (v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v));
  });
  return shared;
}
const KNOWN = { join: true, valuesWhere: true };

function compileText(source: string, file: string, line: number | undefined, precompiled: boolean): (context: StepContext) => string {
  const compile = () => env().compile(source, { noEscape: true, knownHelpers: KNOWN, knownHelpersOnly: true, strict: false });
  if (precompiled) {
    // Checked when the catalogue snapshot was written (snapshot.ts): compiled on first use.
    let render: ReturnType<typeof compile> | undefined;
    return (context) => (render ??= compile())(context);
  }
  try {
    const render = compile();
    render({});
    return (context) => render(context);
  } catch (err) {
    throw descriptorError(file, line, `cannot compile step template '${source}': ${(err as Error).message.split('\n')[0]}`, err);
  }
}

/**
 * precompiled: the descriptor comes from a fresh catalogue snapshot, its templates were compiled when it was written.
 * builders: the result builders that exist; undefined when the caller has none to offer (then names are not checked).
 */
export function compileSteps(op: OperationDescriptor, raw: string, precompiled: boolean, builders: ResultBuilderShapes | undefined): CompiledStep[] {
  const steps = op.steps!;
  if (builders !== undefined && steps.result !== undefined && !Object.hasOwn(builders, steps.result)) {
    const available = Object.keys(builders).join(', ') || 'none';
    throw descriptorError(op.file, lineOfElement(raw, 'steps'), `<steps result="${steps.result}"> names no result builder (available: ${available})`);
  }
  const seen = new Set<string>();
  return steps.steps.map((s) => {
    const line = lineOfElement(raw, 'step', 'name', s.name);
    if (seen.has(s.name)) throw descriptorError(op.file, line, `step name '${s.name}' is used twice`);
    seen.add(s.name);
    const values = s.with.map((w) => {
      if (w.template !== undefined) return { name: w.name, render: compileText(w.template, op.file, line, precompiled) };
      const fixed = w.value ?? '';
      return { name: w.name, render: () => fixed };
    });
    const compiled: CompiledStep = {
      name: s.name,
      operation: s.operation,
      parameters: (context) => {
        const out: Record<string, unknown> = {};
        for (const v of values) out[v.name] = v.render(context);
        return out;
      },
    };
    if (s.emptyError !== undefined) compiled.emptyError = compileText(s.emptyError, op.file, line, precompiled);
    return compiled;
  });
}

/** Cross-references, checked once every operation is loaded: step and schema operations and their parameters. */
export function checkStepReferences(
  operations: ReadonlyArray<{ descriptor: OperationDescriptor; parameters: { lookup: Map<string, ParameterDescriptor> } }>,
  builders: ResultBuilderShapes | undefined,
): void {
  const byName = new Map(operations.map((o) => [o.descriptor.name, o]));
  for (const op of operations) {
    const d = op.descriptor;
    const declared = (p: string) => op.parameters.lookup.get(p)?.name === p;
    for (const step of d.steps?.steps ?? []) {
      const target = byName.get(step.operation);
      if (!target) throw descriptorError(d.file, undefined, `step '${step.name}' runs '${step.operation}', which is not an operation of the catalogue`);
      if (target.descriptor.steps) throw descriptorError(d.file, undefined, `step '${step.name}' runs '${step.operation}', which has steps itself (steps may not nest)`);
      for (const w of step.with) {
        if (!target.parameters.lookup.has(w.name)) throw descriptorError(d.file, undefined, `step '${step.name}': <with name="${w.name}"> is not a parameter of ${step.operation}`);
      }
    }
    const builder = d.steps?.result !== undefined && builders !== undefined && Object.hasOwn(builders, d.steps.result) ? builders[d.steps.result] : undefined;
    if (builder) {
      const names = new Set(d.steps!.steps.map((s) => s.name));
      for (const s of builder.steps) if (!names.has(s)) throw descriptorError(d.file, undefined, `result builder '${d.steps!.result}' reads a step named '${s}', which ${d.name} does not have`);
      for (const p of builder.parameters) if (!declared(p)) throw descriptorError(d.file, undefined, `result builder '${d.steps!.result}' reads parameter '${p}', which ${d.name} does not declare`);
    }
    for (const check of d.checks ?? []) {
      for (const p of [check.table, check.when, ...(check.from ? [check.from] : [])]) {
        if (!declared(p)) throw descriptorError(d.file, undefined, `<check kind="${check.kind}"> names '${p}', which is not a parameter of ${d.name}`);
      }
      if (check.kind === 'query' && !check.from) throw descriptorError(d.file, undefined, `<check kind="query"> needs from="<parameter holding the encoded query>"`);
      const schemaOp = byName.get(check.schema);
      if (!schemaOp) throw descriptorError(d.file, undefined, `<check schema="${check.schema}"> names no operation of the catalogue`);
      if (schemaOp.parameters.lookup.get(check.table)?.name !== check.table) {
        throw descriptorError(d.file, undefined, `<check schema="${check.schema}">: ${check.schema} has no parameter '${check.table}' to pass the table name in`);
      }
    }
  }
}
