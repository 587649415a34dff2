// Compiles an operation's <call> into one function from validated values to the request parts.
// Path placeholders become percent-encoded segments; query values stay raw (the transport encodes them);
// bodies are rendered JSON that must parse.
import { Readable } from 'node:stream';
import { ConnectorError } from '../errors.js';
import { descriptorError } from './descriptor-error.js';
import { refuseBadEncodedQuery, refuseBadHeaderValue, refuseValueInQuery } from './encoded-query-values.js';
import type { CompiledTemplate } from './templates.js';
import type { CallDescriptor, HttpMethod, OperationDescriptor, ParameterDescriptor } from './types.js';
import { parseValueTemplate } from './value-template.js';
import { lineOfElement, lineOfText } from './xml.js';

export interface RenderedCall {
  method: HttpMethod;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  /** JSON text; or the raw bytes of a binary parameter (Buffer or stream), sent as they are. */
  body?: string | Buffer | Readable;
  idempotent: boolean;
}

export type CallRenderer = (values: Readonly<Record<string, unknown>>) => RenderedCall;

export interface CallCompileInput {
  op: OperationDescriptor;
  call: CallDescriptor;
  /** Raw text of the operation file, for line numbers. */
  raw: string;
  parameters: Map<string, ParameterDescriptor>;
  /** The compiled body template named by <body template="...">, loaded beforehand by the loader. */
  template(name: string): CompiledTemplate;
}

type QueryWriter = (values: Readonly<Record<string, unknown>>, out: Array<[string, string]>) => void;

export function compileCall(input: CallCompileInput): CallRenderer {
  const { call } = input;
  const path = compilePath(input);
  const queries = call.queries.map((q) => compileQuery(input, q));
  const staticHeaders: Record<string, string> = {};
  const dynamicHeaders: Array<[string, string]> = [];
  const templatedHeaders: Array<[string, TextRenderer]> = [];
  for (const h of call.headers) {
    if (h.from !== undefined) dynamicHeaders.push([h.name, requireParameter(input, h.from, 'header')]);
    else if (h.template !== undefined) templatedHeaders.push([h.name, compileTemplateText(input, 'header', h.template, refuseBadHeaderValue)]);
    else staticHeaders[h.name] = h.value ?? '';
  }
  const body = compileBody(input);
  const method = call.method;
  const idempotent = call.idempotent;

  return (values) => {
    const query: Array<[string, string]> = [];
    for (const write of queries) write(values, query);
    const headers = { ...staticHeaders };
    for (const [name, from] of dynamicHeaders) {
      const v = values[from];
      if (v !== undefined) headers[name] = toText(v);
    }
    for (const [name, render] of templatedHeaders) {
      const text = render(values);
      if (text !== undefined) headers[name] = text;
    }
    const rendered: RenderedCall = { method, path: path(values), query, headers, idempotent };
    if (body) {
      const text = body(values);
      if (text !== undefined) rendered.body = text;
    }
    return rendered;
  };
}

function compilePath(input: CallCompileInput): (values: Readonly<Record<string, unknown>>) => string {
  const { op, call, raw } = input;
  const pieces: Array<string | { name: string }> = [];
  const re = /\{([^{}]*)\}/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(call.path)) !== null) {
    pieces.push(call.path.slice(last, match.index));
    const name = match[1]!;
    const param = input.parameters.get(name);
    const line = lineOfText(raw, call.path);
    if (!param || param.name !== name) throw descriptorError(op.file, line, `path placeholder {${name}} is not a parameter of ${op.name}`);
    if (!param.required) throw descriptorError(op.file, line, `path placeholder {${name}} must be a required parameter (an empty path segment changes the URL's meaning)`);
    pieces.push({ name });
    last = match.index + match[0].length;
  }
  pieces.push(call.path.slice(last));
  if (pieces.some((p) => typeof p === 'string' && /[{}]/.test(p))) {
    throw descriptorError(op.file, lineOfText(raw, call.path), `path '${call.path}' has an unbalanced { or }`);
  }
  if (pieces.length === 1) {
    const fixed = pieces[0] as string;
    return () => fixed;
  }
  return (values) => {
    let out = '';
    for (const piece of pieces) out += typeof piece === 'string' ? piece : encodeURIComponent(toText(values[piece.name]));
    return out;
  };
}

function compileQuery(input: CallCompileInput, q: CallDescriptor['queries'][number]): QueryWriter {
  const name = q.name;
  if (q.value !== undefined) {
    const value = q.value;
    return (_values, out) => void out.push([name, value]);
  }
  if (q.template !== undefined) {
    // A value built around parameters: each one is a value inside an encoded query, never query syntax.
    const render = compileTemplateText(input, 'query', q.template, refuseValueInQuery);
    return (values, out) => {
      const text = render(values);
      if (text !== undefined) out.push([name, text]);
    };
  }
  if (q.from !== undefined) {
    const from = requireParameter(input, q.from, 'query');
    const isQuery = input.parameters.get(from)!.type === 'encodedQuery';
    return (values, out) => {
      const v = values[from];
      if (v === undefined) return;
      const text = toText(v);
      if (isQuery) refuseBadEncodedQuery(input.op.name, from, text);
      out.push([name, text]);
    };
  }
  const join = q.join ?? '';
  const parts = q.parts.map((p) => ({ from: requireParameter(input, p.from, 'part'), split: p.split, isQuery: input.parameters.get(p.from)!.type === 'encodedQuery' }));
  return (values, out) => {
    const pieces: string[] = [];
    for (const part of parts) {
      const v = values[part.from];
      if (v === undefined) continue;
      const text = toText(v);
      if (part.isQuery) refuseBadEncodedQuery(input.op.name, part.from, text);
      if (part.split === undefined) pieces.push(text);
      else for (const piece of text.split(part.split)) if (piece !== '') pieces.push(piece);
    }
    if (pieces.length > 0) out.push([name, pieces.join(join)]);
  };
}

type TextRenderer = (values: Readonly<Record<string, unknown>>) => string | undefined;
type ValueCheck = (operation: string, parameter: string, text: string) => void;

/**
 * A `template="text {{parameter}} text"` attribute: undefined (the query or header is left out) when a parameter it
 * reads is not set. A parameter of type encodedQuery is a whole query, so it gets the query checks instead of `check`.
 */
function compileTemplateText(input: CallCompileInput, element: 'query' | 'header', source: string, check: ValueCheck): TextRenderer {
  const line = lineOfElement(input.raw, element, 'template', source) ?? lineOfText(input.raw, source);
  let template;
  try {
    template = parseValueTemplate(source);
  } catch (err) {
    throw descriptorError(input.op.file, line, `<${element} template>: ${(err as Error).message}`, err);
  }
  const checks = new Map<string, ValueCheck>();
  for (const name of template.parameters) {
    const param = input.parameters.get(name);
    if (!param || param.name !== name) throw descriptorError(input.op.file, line, `<${element} template="${source}"> reads '${name}', which is not a parameter of ${input.op.name}`);
    if (param.type === 'json' || param.type === 'binary') throw descriptorError(input.op.file, line, `<${element} template="${source}"> reads '${name}', a ${param.type} parameter; templates take text, numbers and booleans`);
    checks.set(name, param.type === 'encodedQuery' && element === 'query' ? refuseBadEncodedQuery : check);
  }
  const operation = input.op.name;
  const pieces = template.pieces;
  return (values) => {
    let out = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        out += piece;
        continue;
      }
      const v = values[piece.parameter];
      if (v === undefined) return undefined;
      const text = toText(v);
      checks.get(piece.parameter)!(operation, piece.parameter, text);
      out += text;
    }
    return out;
  };
}

function compileBody(input: CallCompileInput): ((values: Readonly<Record<string, unknown>>) => string | Buffer | Readable | undefined) | undefined {
  const { op, call, raw } = input;
  const body = call.body;
  if (!body) return undefined;
  if ('from' in body) {
    const from = requireParameter(input, body.from, 'body');
    const param = input.parameters.get(from)!;
    if (param.type === 'binary') return (values) => binaryBody(op.name, from, values[from]);
    if (param.type !== 'json') {
      throw descriptorError(op.file, lineOfElement(raw, 'body', 'from', from), `<body from="${from}"> needs a parameter of type json or binary (it is ${param.type})`);
    }
    return (values) => (values[from] === undefined ? undefined : JSON.stringify(values[from]));
  }
  const template = input.template(body.template);
  for (const variable of template.variables) {
    const param = input.parameters.get(variable);
    if (!param || param.name !== variable) {
      throw descriptorError(
        `templates/${body.template}`,
        undefined,
        `reads '${variable}', which is not a parameter of ${op.name} (declared in ${op.file})`,
      );
    }
  }
  const file = `templates/${body.template}`;
  return (values) => {
    let text: string;
    try {
      text = template.render(values);
    } catch (err) {
      throw new ConnectorError({ code: 'DESCRIPTOR_ERROR', message: `${file}: rendering failed for ${op.name}: ${(err as Error).message}`, operation: op.name, cause: err });
    }
    try {
      JSON.parse(text);
    } catch (err) {
      throw new ConnectorError({
        code: 'DESCRIPTOR_ERROR',
        message: `${file}: the body rendered for ${op.name} is not valid JSON (${(err as Error).message}); use {{json value}} for values`,
        operation: op.name,
      });
    }
    return text.trim();
  };
}

/** A binary parameter's value as a body: bytes or a stream pass unchanged (a stream is never buffered), text as UTF-8. */
function binaryBody(operation: string, parameter: string, value: unknown): string | Buffer | Readable | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || Buffer.isBuffer(value) || value instanceof Readable) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new ConnectorError({
    code: 'INVALID_PARAMETER',
    operation,
    parameter,
    message: `${operation}: parameter '${parameter}' must be bytes (a Buffer, a Uint8Array, a Readable stream or text), got ${Array.isArray(value) ? 'an array' : typeof value}`,
  });
}

function requireParameter(input: CallCompileInput, from: string, element: string): string {
  const param = input.parameters.get(from);
  if (!param || param.name !== from) {
    const hint = param ? ` (use its name '${param.name}', not an alias)` : '';
    throw descriptorError(input.op.file, lineOfElement(input.raw, element, 'from', from), `<${element} from="${from}"> names no parameter of ${input.op.name}${hint}`);
  }
  return from;
}

/** A validated value as query or path text: numbers and booleans printed, objects as JSON. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
