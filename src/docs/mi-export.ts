// WSO2 Micro Integrator tooling files from the catalogue: uischema/<operation>.json (the form MI's editor shows for
// a connector operation) and outputschema/<operation>.json (what its expression editor offers after the call).
// The shapes follow the files WSO2's own connectors ship: attributeGroup/attribute elements with inputType,
// required, defaultValue, helpTip, comboValues and enableCondition; the connection form has connectionName.
import type { Catalogue, CompiledOperation, ParameterDescriptor } from '../catalogue/index.js';
import { humanize } from './mi-export-names.js';
import { outputSchema } from './mi-export-output.js';

export interface MiFile {
  /** Path relative to the export folder: uischema/<name>.json or outputschema/<name>.json. */
  path: string;
  content: string;
}

export interface MiAttribute {
  name: string;
  displayName: string;
  inputType: string;
  required: 'true' | 'false';
  helpTip: string;
  defaultValue?: string;
  comboValues?: string[];
  /** MI's syntax: a list of {parameter: value} that must all hold for the field to be enabled. */
  enableCondition?: Record<string, string>[];
  validation?: 'regEx';
  validationRegEx?: string;
  allowedConnectionTypes?: string[];
  defaultType?: string;
  deriveResponseVariable?: 'true';
}

export type MiElement = { type: 'attribute'; value: MiAttribute } | { type: 'attributeGroup'; value: { groupName: string; elements: MiElement[] } };

/** Every uischema and outputschema file, in a fixed order; the same catalogue always gives the same bytes. */
export function miFiles(catalogue: Catalogue): MiFile[] {
  const files: MiFile[] = [{ path: 'uischema/' + catalogue.init.descriptor.name + '.json', content: json(connectionUiSchema(catalogue)) }];
  for (const op of catalogue.operations) files.push({ path: `uischema/${op.descriptor.name}.json`, content: json(operationUiSchema(catalogue, op)) });
  for (const op of catalogue.operations) files.push({ path: `outputschema/${op.descriptor.name}.json`, content: json(outputSchema(op)) });
  return files;
}

/** MI's connection type for this connector: its name in capitals (the WSO2 ServiceNow connector uses SERVICENOW). */
export function connectionType(catalogue: Catalogue): string {
  return catalogue.name.toUpperCase();
}

export function connectionUiSchema(catalogue: Catalogue): Record<string, unknown> {
  const init = catalogue.init.descriptor;
  const conditions = connectionConditions(catalogue.init);
  return {
    connectorName: catalogue.name,
    connectionName: connectionType(catalogue),
    title: `${humanize(catalogue.name)} Connection`,
    help: init.description,
    testConnectionEnabled: false,
    elements: [
      attribute({ name: 'connectionName', displayName: 'Connection Name', inputType: 'string', required: 'true', helpTip: 'A unique name for this connection.', defaultValue: `${connectionType(catalogue)}_CONNECTION_1` }),
      group('General', init.parameters.map((p) => parameterElement(p, conditions.get(p.name)))),
    ],
  };
}

export function operationUiSchema(catalogue: Catalogue, op: CompiledOperation): Record<string, unknown> {
  const d = op.descriptor;
  const type = connectionType(catalogue);
  const groups = groupParameters(op);
  const pagingSwitch = d.paging?.allPagesFrom;
  const elements: MiElement[] = [
    group('General', [
      attribute({ name: 'configRef', displayName: 'Connection', inputType: 'connection', allowedConnectionTypes: [type], defaultType: `connection.${type}`, defaultValue: '', required: 'true', helpTip: `The ${humanize(catalogue.name)} connection to use.` }),
    ]),
  ];
  for (const [name, params] of groups) {
    // Paging parameters only matter once the all-pages switch is on.
    const condition = name === 'All Pages' && pagingSwitch ? [{ [pagingSwitch]: 'true' }] : undefined;
    elements.push(group(name, params.map((p) => parameterElement(p, p.name === pagingSwitch ? undefined : condition))));
  }
  elements.push(
    group('Output', [
      attribute({ name: 'responseVariable', displayName: 'Output Variable Name', inputType: 'string', deriveResponseVariable: 'true', required: 'true', helpTip: 'Name of the variable the output of the operation is assigned to.' }),
      attribute({ name: 'overwriteBody', displayName: 'Overwrite Message Body', inputType: 'checkbox', defaultValue: 'false', required: 'false', helpTip: 'Replace the message body with the output of the operation.' }),
    ]),
  );
  return { connectorName: catalogue.name, operationName: d.name, title: humanize(d.name), help: d.description, elements };
}

/**
 * Groups as MI users know them from WSO2's connectors: Input (what the call needs: required, path, body, headers),
 * Query Parameters (sent as query), All Pages (the paging engine's own) and Advanced (the rest), in declaration order.
 */
export function groupParameters(op: CompiledOperation): [string, ParameterDescriptor[]][] {
  const d = op.descriptor;
  const query = new Set<string>();
  for (const q of d.call?.queries ?? []) {
    if (q.from) query.add(q.from);
    for (const part of q.parts) query.add(part.from);
  }
  const paging = new Set<string>();
  if (d.paging) {
    const p = d.paging;
    for (const name of [p.allPagesFrom, p.maxRecordsFrom, p.pageSizeFrom, p.strategyFrom, p.sinceFrom, p.prefetchFrom, p.parallelFrom, p.partitionsFrom, p.orderedFrom]) if (name) paging.add(name);
  }
  const input = new Set<string>();
  for (const m of (d.call?.path ?? '').matchAll(/\{([^}]+)\}/g)) input.add(m[1]!);
  for (const h of d.call?.headers ?? []) if (h.from) input.add(h.from);
  if (d.call?.body && 'from' in d.call.body) input.add(d.call.body.from);
  const groups: Record<string, ParameterDescriptor[]> = { Input: [], 'Query Parameters': [], 'All Pages': [], Advanced: [] };
  for (const p of d.parameters) {
    if (paging.has(p.name)) groups['All Pages']!.push(p);
    else if (p.required || input.has(p.name) || p.type === 'json' || p.type === 'binary') groups['Input']!.push(p);
    else if (query.has(p.name)) groups['Query Parameters']!.push(p);
    else if (!d.call && !d.steps) groups['Input']!.push(p);
    else groups['Advanced']!.push(p);
  }
  return Object.entries(groups).filter(([, list]) => list.length > 0);
}

/** The init parameters that matter only in one case: required when X=v, or mapped only when X=v. */
export function connectionConditions(init: CompiledOperation): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  for (const p of init.descriptor.parameters) if (p.requiredWhen) out.set(p.name, [{ [p.requiredWhen.parameter]: p.requiredWhen.equals }]);
  for (const s of init.descriptor.connection ?? []) {
    if (s.when && !out.has(s.from)) out.set(s.from, [{ [s.when.parameter]: s.when.equals }]);
  }
  return out;
}

function parameterElement(p: ParameterDescriptor, enableCondition: Record<string, string>[] | undefined): MiElement {
  const a: MiAttribute = {
    name: p.name,
    displayName: humanize(p.name),
    inputType: inputTypeOf(p),
    required: p.required ? 'true' : 'false',
    helpTip: helpTip(p),
  };
  if (p.default !== undefined) a.defaultValue = p.default;
  if (p.enum) a.comboValues = [...p.enum];
  if (enableCondition) a.enableCondition = enableCondition;
  if (p.pattern) {
    a.validation = 'regEx';
    a.validationRegEx = p.pattern;
  }
  return attribute(a);
}

function inputTypeOf(p: ParameterDescriptor): string {
  if (p.enum) return 'comboOrExpression';
  if (p.type === 'boolean') return 'booleanOrExpression';
  if (p.type === 'json') return 'textAreaOrExpression';
  return 'stringOrExpression';
}

function helpTip(p: ParameterDescriptor): string {
  const extra: string[] = [];
  if (p.type === 'integer' || p.type === 'number') {
    const range = p.minimum !== undefined && p.maximum !== undefined ? ` from ${p.minimum} to ${p.maximum}` : p.minimum !== undefined ? ` of at least ${p.minimum}` : p.maximum !== undefined ? ` of at most ${p.maximum}` : '';
    const words = p.keywords ? `, or ${p.keywords.join(', ')}` : '';
    extra.push(`A${p.type === 'integer' ? 'n integer' : ' number'}${range}${words}.`);
  }
  if (p.type === 'json') extra.push(`JSON ${p.shape}.`);
  if (p.requiredWhen) extra.push(`Required when ${p.requiredWhen.parameter} is ${p.requiredWhen.equals}.`);
  if (p.aliases.length > 0) extra.push(`Also accepted as ${p.aliases.join(', ')}.`);
  return [p.description, ...extra].filter((t) => t.length > 0).join(' ');
}

function attribute(value: MiAttribute): MiElement {
  return { type: 'attribute', value };
}

function group(groupName: string, elements: MiElement[]): MiElement {
  return { type: 'attributeGroup', value: { groupName, elements } };
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
