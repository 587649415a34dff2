// `snconnect new-operation`: the files a new catalogue operation starts from. Path placeholders become required
// parameters; writes (POST/PUT/PATCH) get a JSON `payload` parameter and a body template. Nothing here knows
// ServiceNow: the contributor fills in descriptions, patterns and query parameters.
import type { HttpMethod } from '../catalogue/index.js';
import { ConnectorError } from '../errors.js';
import { queryElements, queryParameters, queryProblem, requiredQueryParameters, type ScaffoldQuery } from './scaffold-query.js';

export interface ScaffoldInput {
  name: string;
  method: HttpMethod;
  path: string;
  description: string;
  /** Query parameters (`--query`, `--from-curl`); see scaffold-query.ts. */
  queries?: ScaffoldQuery[];
  /** Example values of parameters, shown in their descriptions (from a pasted curl line). */
  examples?: Record<string, string>;
}

export interface ScaffoldFiles {
  operation: { path: string; content: string };
  template?: { path: string; content: string };
  test: { path: string; content: string };
  /** The line to add to connector.xml. */
  connectorLine: string;
}

const SYS_ID = /sys_?id$/i;

export function placeholders(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const NAME = /^[a-z][A-Za-z0-9]*$/;
/** Segments of RFC 3986 path characters (no quote, backslash, parenthesis, angle bracket or space) and {placeholders}. */
const PATH = /^(?:\/(?:[A-Za-z0-9._~:@!$&*+,;=-]|%[0-9A-Fa-f]{2}|\{[A-Za-z_][A-Za-z0-9_]*\})+)+\/?$/;
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

/**
 * What is wrong with a scaffold input, or undefined. The inputs end up in an XML file and in TypeScript that
 * `npm test` runs, so they are held to strict shapes (and escaped besides): nothing a user types can become code.
 */
export function scaffoldProblem(input: ScaffoldInput): string | undefined {
  if (!NAME.test(input.name)) return `operation name '${input.name}' must be lowerCamelCase letters and digits, e.g. getUserRoles`;
  if (!METHODS.includes(input.method)) return `--method must be one of ${METHODS.join(', ')}`;
  if (!PATH.test(input.path)) {
    return `--path must be a path starting with /, made of letters, digits, - . _ ~ : @ ! $ & * + , ; = %XX and {placeholder} segments (no quotes, spaces, backslashes, parentheses, query or fragment), e.g. '/api/now/table/{tableName}'`;
  }
  if (CONTROL.test(input.description)) return '--description must be one line of text without control characters';
  return queryProblem(input.queries ?? [], placeholders(input.path));
}

export function scaffold(input: ScaffoldInput): ScaffoldFiles {
  const problem = scaffoldProblem(input);
  if (problem !== undefined) throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: 'new-operation', message: `new-operation: ${problem}` });
  const { name, method, path, description } = input;
  const writes = method === 'POST' || method === 'PUT' || method === 'PATCH';
  const params = placeholders(path).map((p) =>
    SYS_ID.test(p)
      ? `  <parameter name="${p}" required="true" pattern="^[0-9a-f]{32}$" description="TODO: what ${p} identifies (32 lowercase hex characters)."/>`
      : `  <parameter name="${p}" required="true" pattern="^[A-Za-z0-9_.-]+$" description="TODO: describe ${p}, e.g. incident."/>`,
  );
  params.push(...queryParameters(input.queries ?? [], placeholders(input.path), input.examples ?? {}, xmlAttr));
  if (writes) params.push(`  <parameter name="payload" type="json" required="true" description="JSON object sent as the body, e.g. {&quot;short_description&quot;:&quot;...&quot;}."/>`);
  const call = [
    `  <call method="${method}" path="${xmlAttr(path)}"${method === 'POST' ? ' idempotent="false"' : ''}>`,
    ...(input.queries?.length ? queryElements(input.queries, xmlAttr) : [`    <!-- <query name="query_parameter_name" from="aParameter"/> for each query parameter -->`]),
    `    <header name="Accept" value="application/json"/>`,
    ...(writes ? [`    <header name="Content-Type" value="application/json"/>`, `    <body template="${name}.json.hbs"/>`] : []),
    `  </call>`,
  ];
  const operation = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<template name="${name}">`,
    `  <description>${xmlText(description)}</description>`,
    '',
    ...params,
    ...(params.length > 0 ? [''] : []),
    ...call,
    method === 'DELETE' ? '' : '  <response require="result"/>',
    '</template>',
    '',
  ]
    .filter((line, i, all) => !(line === '' && all[i + 1] === '</template>'))
    .join('\n');
  const files: ScaffoldFiles = {
    operation: { path: `operations/${name}.xml`, content: operation },
    test: { path: `test/operations/${name}.test.ts`, content: testSkeleton(input) },
    connectorLine: `  <operation name="${name}" template="operations/${name}.xml"/>`,
  };
  if (writes) {
    files.template = {
      path: `templates/${name}.json.hbs`,
      content: `{{!-- Body of ${name}: build it from parameters with json/object/merge (docs/catalogue-format.md); never paste values inside quotes. --}}\n{{json (merge payload)}}\n`,
    };
  }
  return files;
}

function testSkeleton(input: ScaffoldInput): string {
  const values = placeholders(input.path).map((p) => `${p}: ${tsString(SYS_ID.test(p) ? '0'.repeat(32) : 'incident')}`);
  for (const p of requiredQueryParameters(input.queries ?? [])) values.push(`${p}: ${tsString(input.examples?.[p] || 'example')}`);
  if (input.method === 'POST' || input.method === 'PUT' || input.method === 'PATCH') values.push(`payload: { short_description: 'Example' }`);
  const params = `{ ${values.join(', ')} }`;
  const expectedPath = input.path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, p: string) => (SYS_ID.test(p) ? '0'.repeat(32) : 'incident'));
  return `// ${input.name}: generated by \`snconnect new-operation\`. Extend it: call the operation against the simulator
// (add the route to src/simulator if ServiceNow's API is not there yet) and check the answer.
import { describe, expect, it } from 'vitest';
import { useSimulator } from '../invoke/support.js';

const h = useSimulator();

describe(${tsString(input.name)}, () => {
  it(${tsString(`renders ${input.method} ${input.path}`)}, () => {
    const request = h.conn.prepare(${tsString(input.name)}, ${params});
    expect(request.method).toBe(${tsString(input.method)});
    expect(request.path).toBe(${tsString(expectedPath)});
  });
});
`;
}

/** A single-quoted TypeScript string literal of any text: quotes, backslashes and line breaks escaped. */
export function tsString(text: string): string {
  return "'" + text.replace(/[\\'\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\\' || c === "'" ? '\\' + c : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))) + "'";
}

function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;');
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
