// The same call as copyable samples: a CLI line, TypeScript with typedConnection, and a WSO2-style flow fragment.
// Secrets never appear: they are read from the environment (CLI, TypeScript) or from a property (XML).
import type { ConnectionView, FieldView, OperationView } from '../api-types.js';

export interface SampleSet {
  cli: string;
  typescript: string;
  xml: string;
}

export function samples(connector: string, init: OperationView, connection: ConnectionView, op: OperationView, params: Record<string, string>): SampleSet {
  const initFields = new Map(init.groups.flatMap((g) => g.fields).map((f) => [f.name, f]));
  const opFields = new Map(op.groups.flatMap((g) => g.fields).map((f) => [f.name, f]));
  const secretEnv = (name: string): string => initFields.get(name)?.env ?? name.toUpperCase();
  return {
    cli: cliSample(op.name, params, connection, initFields),
    typescript: tsSample(op.name, params, connection, opFields, secretEnv),
    xml: xmlSample(connector, op.name, params, connection),
  };
}

function cliSample(op: string, params: Record<string, string>, connection: ConnectionView, initFields: Map<string, FieldView>): string {
  const lines: string[] = [];
  const env: string[] = [];
  const extra: string[] = [];
  for (const [name, value] of Object.entries(connection.values)) {
    const variable = initFields.get(name)?.env;
    if (variable) env.push(`${variable}=${shellQuote(value)}`);
    else extra.push(`${name}=${shellQuote(value)}`);
  }
  for (const name of connection.secretNames) {
    const variable = initFields.get(name)?.env;
    env.push(`${variable ?? name.toUpperCase()}='<your ${name}>'`);
  }
  if (env.length > 0) lines.push(`export ${env.join(' ')}`);
  const args = Object.entries(params).map(([k, v]) => `${k}=${shellQuote(v)}`);
  lines.push(['npx snconnect invoke', op, ...args, ...extra].join(' '));
  return lines.join('\n');
}

function tsSample(op: string, params: Record<string, string>, connection: ConnectionView, opFields: Map<string, FieldView>, secretEnv: (name: string) => string): string {
  const init = [
    ...Object.entries(connection.values).map(([k, v]) => `  ${k}: ${JSON.stringify(v)},`),
    ...connection.secretNames.map((k) => `  ${k}: process.env.${secretEnv(k)}!,`),
  ];
  const args = Object.entries(params).map(([k, v]) => `  ${k}: ${tsValue(opFields.get(k), v)},`);
  return [
    "import { loadConnector, typedConnection } from 'snconnect';",
    '',
    'const connector = await loadConnector();',
    `const conn = typedConnection(connector.connect({\n${init.join('\n')}\n}));`,
    `const { status, payload } = await conn.invoke('${op}', {\n${args.join('\n')}\n});`,
    'console.log(status, payload);',
    'await conn.close();',
  ].join('\n');
}

function xmlSample(connector: string, op: string, params: Record<string, string>, connection: ConnectionView): string {
  const init = [
    ...Object.entries(connection.values).map(([k, v]) => `  <${k}>${xmlText(v)}</${k}>`),
    ...connection.secretNames.map((k) => `  <${k}>{$ctx:${k}}</${k}>`),
  ];
  const body = Object.entries(params).map(([k, v]) => `  <${k}>${xmlText(v)}</${k}>`);
  return [`<${connector}.init>`, ...init, `</${connector}.init>`, `<${connector}.${op}>`, ...body, `</${connector}.${op}>`].join('\n');
}

function tsValue(field: FieldView | undefined, value: string): string {
  if (field?.type === 'integer' || field?.type === 'number') return Number.isFinite(Number(value)) ? String(Number(value)) : JSON.stringify(value);
  if (field?.type === 'boolean') return value === 'true' ? 'true' : 'false';
  if (field?.type === 'json') {
    try {
      return JSON.stringify(JSON.parse(value));
    } catch {
      return JSON.stringify(value);
    }
  }
  return JSON.stringify(value);
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.,:/@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
