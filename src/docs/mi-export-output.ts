// outputschema/<operation>.json: the JSON Schema (draft-07) of what an operation leaves for the next mediator in
// WSO2 MI (payload, attributes.statusCode, headers), so MI's expression editor can offer payload.result and friends.
import type { CompiledOperation } from '../catalogue/index.js';
import { humanize } from './mi-export-names.js';

export function outputSchema(op: CompiledOperation): Record<string, unknown> {
  const d = op.descriptor;
  const headers: Record<string, unknown> = {};
  if (d.paging?.totalHeader) headers[d.paging.totalHeader] = { type: 'string', description: 'Number of records the query matches (the row count).' };
  if (d.paging?.linkHeader) headers[d.paging.linkHeader] = { type: 'string', description: 'Links to the first, previous, next and last pages.' };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    title: `${humanize(d.name)} output`,
    description: `What the ${d.name} operation returns: ${d.description}`,
    properties: {
      payload: payloadSchema(op),
      attributes: {
        type: 'object',
        description: 'Metadata of the call.',
        properties: { statusCode: { type: 'integer', description: 'HTTP status code of the response.' } },
      },
      headers: { type: 'object', description: 'HTTP headers of the response.', properties: headers },
    },
  };
}

function payloadSchema(op: CompiledOperation): Record<string, unknown> {
  const d = op.descriptor;
  if (d.response.stream) return { description: 'The response body as bytes (a binary download); not JSON.' };
  const member = d.paging?.records ?? d.response.require;
  if (!member) return { type: 'object', description: 'The JSON body of the response.' };
  const records = d.paging !== undefined;
  return {
    type: 'object',
    description: 'The JSON body of the response.',
    properties: {
      [member]: records
        ? { type: 'array', description: 'The records of the page (every page when all pages are read).', items: { type: 'object' } }
        : { description: 'The result of the call.' },
    },
    required: [member],
  };
}
