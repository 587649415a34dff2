// Turns a schema-checked parsed file into typed descriptors (attribute strings become booleans, lists, numbers).
import { readBulk } from './bulk.js';
import { readChecks, readSteps } from './steps.js';
import type {
  CallDescriptor,
  Condition,
  ConnectionSettingDescriptor,
  HttpMethod,
  OperationDescriptor,
  PagingDescriptor,
  ParameterDescriptor,
  ParameterType,
  QueryDescriptor,
} from './types.js';

type Attrs = Record<string, string | undefined>;
type Node = Record<string, unknown>;

export function readOperation(parsed: Node, file: string, aliases: string[]): OperationDescriptor {
  const t = parsed['template'] as Node;
  const op: OperationDescriptor = {
    name: t['name'] as string,
    aliases,
    file,
    description: text(t['description']),
    parameters: list(t['parameter']).map((p) => readParameter(p as Attrs)),
    response: { require: (t['response'] as Attrs | undefined)?.['require'], ...((t['response'] as Attrs | undefined)?.['body'] === 'stream' ? { stream: true } : {}) },
  };
  if (t['call']) op.call = readCall(t['call'] as Node);
  if (t['connection']) op.connection = list((t['connection'] as Node)['setting']).map((s) => readSetting(s as Attrs));
  if (t['paging']) {
    op.paging = readPaging(t['paging'] as Attrs);
  }
  if (t['idempotency']) {
    const i = t['idempotency'] as Attrs;
    op.idempotency = { fieldFrom: i['fieldFrom']!, lookup: i['lookup']!, queryParameter: i['queryParameter']! };
  }
  if (t['steps']) op.steps = readSteps(t['steps'] as Node);
  if (t['check']) op.checks = readChecks(t['check'] as Attrs[]);
  if (t['bulk']) op.bulk = readBulk(t['bulk'] as Node);
  return op;
}

function readPaging(p: Attrs): PagingDescriptor {
  const { next, defaultPageSize, keyLength, ...names } = p;
  const paging: PagingDescriptor = { next: next as PagingDescriptor['next'] };
  // Only the attributes written: an absent one stays absent (not undefined), so descriptors compare cleanly.
  for (const [key, value] of Object.entries(names)) if (value !== undefined) (paging as unknown as Record<string, string>)[key] = value;
  if (defaultPageSize !== undefined) paging.defaultPageSize = Number(defaultPageSize);
  if (keyLength !== undefined) paging.keyLength = Number(keyLength);
  return paging;
}

function readParameter(p: Attrs): ParameterDescriptor {
  const param: ParameterDescriptor = {
    name: p['name']!,
    aliases: p['aliases'] ? p['aliases'].split(' ') : [],
    description: p['description'] ?? '',
    required: p['required'] === 'true',
    type: (p['type'] as ParameterType | undefined) ?? 'string',
    shape: p['shape'] === 'array' ? 'array' : 'object',
    secret: p['secret'] === 'true',
  };
  if (p['requiredWhen']) param.requiredWhen = readCondition(p['requiredWhen']);
  if (p['default'] !== undefined) param.default = p['default'];
  if (p['enum']) param.enum = p['enum'].split(/\s+/).filter(Boolean);
  if (p['pattern']) param.pattern = p['pattern'];
  if (p['minimum'] !== undefined) param.minimum = Number(p['minimum']);
  if (p['maximum'] !== undefined) param.maximum = Number(p['maximum']);
  if (p['keywords']) param.keywords = p['keywords'].split(/\s+/).filter(Boolean);
  if (p['env']) param.env = p['env'];
  return param;
}

function readCall(c: Node): CallDescriptor {
  const method = c['method'] as HttpMethod;
  const idempotent = c['idempotent'] === undefined ? method !== 'POST' : c['idempotent'] === 'true';
  const call: CallDescriptor = {
    method,
    path: c['path'] as string,
    idempotent,
    queries: list(c['query']).map((q) => readQuery(q as Node)),
    headers: list(c['header']).map((h) => {
      const a = h as Attrs;
      return { name: a['name']!, from: a['from'], value: a['value'], ...(a['template'] !== undefined ? { template: a['template'] } : {}) };
    }),
  };
  const body = c['body'] as Attrs | undefined;
  if (body?.['template']) call.body = { template: body['template'] };
  else if (body?.['from']) call.body = { from: body['from'] };
  return call;
}

function readQuery(q: Node): QueryDescriptor {
  return {
    name: q['name'] as string,
    from: q['from'] as string | undefined,
    value: q['value'] as string | undefined,
    ...(q['template'] !== undefined ? { template: q['template'] as string } : {}),
    join: q['join'] as string | undefined,
    parts: list(q['part']).map((p) => ({ from: (p as Attrs)['from']!, split: (p as Attrs)['split'] })),
  };
}

function readSetting(s: Attrs): ConnectionSettingDescriptor {
  const setting: ConnectionSettingDescriptor = { name: s['name']!, from: s['from']! };
  if (s['when']) setting.when = readCondition(s['when']);
  if (s['stripTrailing']) setting.stripTrailing = s['stripTrailing'];
  return setting;
}

export function readCondition(raw: string): Condition {
  const eq = raw.indexOf('=');
  return { parameter: raw.slice(0, eq), equals: raw.slice(eq + 1) };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}
