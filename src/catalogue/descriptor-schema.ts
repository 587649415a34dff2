// JSON Schemas of the descriptor files as fast-xml-parser reads them (attributes are strings, repeated
// elements arrays). docs/catalogue-format.md describes the same format for people.
import { bulkSchema } from './bulk.js';
import { checkSchema, stepsSchema } from './steps.js';

const name = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
const bool = { type: 'string', enum: ['true', 'false'] } as const;
const condition = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*=.*$' } as const;
const integerText = { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' } as const;
const text = { type: 'string' } as const;
const file = { type: 'string', pattern: '^[A-Za-z0-9_./-]+$', not: { pattern: '(^|/)\\.\\.(/|$)' } } as const;

const parameter = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name,
    aliases: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*( [A-Za-z_][A-Za-z0-9_]*)*$' },
    description: text,
    required: bool,
    requiredWhen: condition,
    type: { type: 'string', enum: ['string', 'integer', 'number', 'boolean', 'json', 'binary', 'encodedQuery'] },
    shape: { type: 'string', enum: ['object', 'array'] },
    default: text,
    enum: { type: 'string', minLength: 1 },
    pattern: { type: 'string', minLength: 1 },
    minimum: integerText,
    maximum: integerText,
    keywords: { type: 'string', pattern: '^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$' },
    secret: bool,
    env: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
  },
} as const;

const query = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    from: name,
    value: text,
    template: { type: 'string', minLength: 1 },
    join: { type: 'string', minLength: 1 },
    part: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['from'],
        additionalProperties: false,
        properties: { from: name, split: { type: 'string', minLength: 1 } },
      },
    },
  },
  oneOf: [
    { required: ['from'], not: { anyOf: [{ required: ['value'] }, { required: ['part'] }, { required: ['template'] }] } },
    { required: ['value'], not: { anyOf: [{ required: ['from'] }, { required: ['part'] }, { required: ['template'] }] } },
    { required: ['template'], not: { anyOf: [{ required: ['from'] }, { required: ['part'] }, { required: ['value'] }] } },
    { required: ['part', 'join'], not: { anyOf: [{ required: ['from'] }, { required: ['value'] }, { required: ['template'] }] } },
  ],
} as const;

const header = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9-]+$' }, from: name, value: text, template: { type: 'string', minLength: 1 } },
  oneOf: [{ required: ['from'] }, { required: ['value'] }, { required: ['template'] }],
} as const;

const call = {
  type: 'object',
  required: ['method', 'path'],
  additionalProperties: false,
  properties: {
    method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
    path: { type: 'string', pattern: '^/[^\\s?#]*$' },
    idempotent: bool,
    query: { type: 'array', items: query },
    header: { type: 'array', items: header },
    body: {
      type: 'object',
      additionalProperties: false,
      properties: { template: file, from: name },
      oneOf: [{ required: ['template'] }, { required: ['from'] }],
    },
  },
} as const;

const connection = {
  type: 'object',
  required: ['setting'],
  additionalProperties: false,
  properties: {
    setting: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'from'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' },
          from: name,
          when: condition,
          stripTrailing: { type: 'string', minLength: 1 },
        },
      },
    },
  },
} as const;

const paging = {
  type: 'object',
  required: ['next'],
  additionalProperties: false,
  properties: {
    next: { type: 'string', enum: ['link', 'keyset', 'offset'] },
    offsetQuery: { type: 'string', minLength: 1 },
    limitQuery: { type: 'string', minLength: 1 },
    allPagesFrom: name,
    maxRecordsFrom: name,
    pageSizeFrom: name,
    strategyFrom: name,
    sinceFrom: name,
    prefetchFrom: name,
    parallelFrom: name,
    partitionsFrom: name,
    orderedFrom: name,
    keyDigits: { type: 'string', minLength: 2 },
    keyLength: { type: 'string', pattern: '^[1-9][0-9]?$' },
    defaultPageSize: { type: 'string', pattern: '^[1-9][0-9]*$' },
    records: { type: 'string', minLength: 1 },
    queryParameter: { type: 'string', minLength: 1 },
    noCountQuery: { type: 'string', minLength: 1 },
    fieldsQuery: { type: 'string', minLength: 1 },
    linkHeader: { type: 'string', pattern: '^[A-Za-z0-9-]+$' },
    totalHeader: { type: 'string', pattern: '^[A-Za-z0-9-]+$' },
    keyField: { type: 'string', minLength: 1 },
    watermarkField: { type: 'string', minLength: 1 },
    and: { type: 'string', minLength: 1 },
    or: { type: 'string', minLength: 1 },
    orderBy: { type: 'string', minLength: 1 },
  },
} as const;

const idempotency = {
  type: 'object',
  required: ['fieldFrom', 'lookup', 'queryParameter'],
  additionalProperties: false,
  properties: { fieldFrom: name, lookup: name, queryParameter: name },
} as const;

export const operationFileSchema = {
  type: 'object',
  required: ['template'],
  additionalProperties: false,
  properties: {
    template: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name,
        xmlns: text,
        description: text,
        parameter: { type: 'array', items: parameter },
        call,
        connection,
        paging,
        idempotency,
        steps: stepsSchema,
        bulk: bulkSchema,
        check: checkSchema,
        response: { type: 'object', additionalProperties: false, properties: { require: { type: 'string', minLength: 1 }, body: { type: 'string', enum: ['json', 'stream'] } } },
      },
    },
  },
} as const;

export const connectorFileSchema = {
  type: 'object',
  required: ['connector'],
  additionalProperties: false,
  properties: {
    connector: {
      type: 'object',
      required: ['name', 'version', 'init', 'operation'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        version: { type: 'string', minLength: 1 },
        xmlns: text,
        description: text,
        init: {
          type: 'object',
          required: ['name', 'template'],
          additionalProperties: false,
          properties: { name, template: file },
        },
        operation: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'template'],
            additionalProperties: false,
            properties: {
              name,
              template: file,
              alias: {
                type: 'array',
                items: { type: 'object', required: ['name'], additionalProperties: false, properties: { name } },
              },
            },
          },
        },
      },
    },
  },
} as const;
