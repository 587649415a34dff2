// <bulk>: an operation that loads many items through other operations of the catalogue, in one of up to three
// declared ways, chosen by a parameter: one call per item (<each>), items wrapped into one call of an envelope
// operation that carries many sub-requests (<envelope>), or items sent in chunks to an operation that takes a list
// (<chunks>, with an optional read-back when its answer does not hold the per-item results). The engine is in
// src/invoke/bulk-modes.ts; this file only declares, reads and checks.
import { descriptorError } from './descriptor-error.js';
import type { CompiledOperation } from './load.js';

const name = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
const word = { type: 'string', minLength: 1 } as const;
const count = { type: 'string', pattern: '^[1-9][0-9]*$' } as const;

export interface BulkEachDescriptor {
  mode: string;
  /** Called once per item, the item given as this parameter. */
  operation: string;
  itemTo: string;
}

export interface BulkEnvelopeDescriptor {
  mode: string;
  /** The envelope operation, and the item operation whose rendered request each item becomes. */
  operation: string;
  itemOperation: string;
  itemTo: string;
  /** Envelope parameters: the sub-requests ({id, method, url, headers, body}) and the envelope's id. */
  requestsTo: string;
  idTo?: string;
  chunkSize: number;
  /** Answer members: the answered sub-requests, each with its id, status and body; the ids left unanswered. */
  answers: string;
  answerId: string;
  answerStatus: string;
  answerBody: string;
  answerBodyEncoding?: 'base64';
  unanswered?: string;
}

export interface BulkChunksDescriptor {
  mode: string;
  operation: string;
  /** The parameter taking the chunk's items (an array). */
  itemsTo: string;
  chunkSize: number;
  /** Member of a synchronous answer listing one result per item, in order, with these fields. */
  results: string;
  idField: string;
  statusField: string;
  errorField: string;
  /** Status values meaning the item failed. */
  errorStatuses: string[];
  readBack?: BulkReadBackDescriptor;
}

/** How to read the per-item results later, when the answer only names the set the chunk became. */
export interface BulkReadBackDescriptor {
  /** Member of the answer naming the set. */
  setFrom: string;
  /** A paged list operation; each of its parameters named here gets: the table, the query `<setField>=<set>`. */
  operation: string;
  tableTo: string;
  tableFrom: string;
  queryTo: string;
  setField: string;
  /** Fields of each read row: its position in the chunk, its status (pending until done), the created id, the error. */
  indexField: string;
  statusField: string;
  pendingStatus: string;
  idField: string;
  errorField: string;
}

export interface BulkDescriptor {
  itemsFrom: string;
  modeFrom: string;
  concurrencyFrom?: string;
  chunkSizeFrom?: string;
  /**
   * The parameter naming the item field that identifies an item (an idempotency column). When it is set, a chunk
   * whose outcome is unknown is sent again (the receiving side must match items on that field, so a repeat updates
   * instead of adding), and an envelope's items are looked up before they are sent again one by one.
   */
  keyFrom?: string;
  each?: BulkEachDescriptor;
  envelope?: BulkEnvelopeDescriptor;
  chunks?: BulkChunksDescriptor;
}

const readBackSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['setFrom', 'operation', 'tableTo', 'tableFrom', 'queryTo', 'setField', 'indexField', 'statusField', 'pendingStatus', 'idField', 'errorField'],
  properties: { setFrom: word, operation: name, tableTo: name, tableFrom: name, queryTo: name, setField: word, indexField: word, statusField: word, pendingStatus: word, idField: word, errorField: word },
} as const;

export const bulkSchema = {
  type: 'object',
  required: ['itemsFrom', 'modeFrom'],
  additionalProperties: false,
  properties: {
    itemsFrom: name,
    modeFrom: name,
    concurrencyFrom: name,
    chunkSizeFrom: name,
    keyFrom: name,
    each: { type: 'object', additionalProperties: false, required: ['mode', 'operation', 'itemTo'], properties: { mode: name, operation: name, itemTo: name } },
    envelope: {
      type: 'object',
      additionalProperties: false,
      required: ['mode', 'operation', 'itemOperation', 'itemTo', 'requestsTo', 'chunkSize', 'answers', 'answerId', 'answerStatus', 'answerBody'],
      properties: {
        mode: name,
        operation: name,
        itemOperation: name,
        itemTo: name,
        requestsTo: name,
        idTo: name,
        chunkSize: count,
        answers: word,
        answerId: word,
        answerStatus: word,
        answerBody: word,
        answerBodyEncoding: { type: 'string', enum: ['base64'] },
        unanswered: word,
      },
    },
    chunks: {
      type: 'object',
      additionalProperties: false,
      required: ['mode', 'operation', 'itemsTo', 'chunkSize', 'results', 'idField', 'statusField', 'errorField', 'errorStatuses'],
      properties: {
        mode: name,
        operation: name,
        itemsTo: name,
        chunkSize: count,
        results: word,
        idField: word,
        statusField: word,
        errorField: word,
        errorStatuses: word,
        readBack: readBackSchema,
      },
    },
  },
} as const;

type Attrs = Record<string, unknown>;

export function readBulk(b: Attrs): BulkDescriptor {
  const s = (v: unknown) => v as string;
  const out: BulkDescriptor = { itemsFrom: s(b['itemsFrom']), modeFrom: s(b['modeFrom']) };
  for (const k of ['concurrencyFrom', 'chunkSizeFrom', 'keyFrom'] as const) if (b[k] !== undefined) out[k] = s(b[k]);
  if (b['each']) out.each = { ...(b['each'] as BulkEachDescriptor) };
  if (b['envelope']) {
    const e = b['envelope'] as Attrs;
    out.envelope = { ...(e as unknown as BulkEnvelopeDescriptor), chunkSize: Number(e['chunkSize']) };
  }
  if (b['chunks']) {
    const c = b['chunks'] as Attrs;
    out.chunks = { ...(c as unknown as BulkChunksDescriptor), chunkSize: Number(c['chunkSize']), errorStatuses: s(c['errorStatuses']).split(/\s+/).filter(Boolean) };
    if (c['readBack']) out.chunks.readBack = { ...(c['readBack'] as BulkReadBackDescriptor) };
  }
  return out;
}

/** The modes a <bulk> declares, in the order <each>, <envelope>, <chunks>. */
export function bulkModes(bulk: BulkDescriptor): string[] {
  return [bulk.each?.mode, bulk.envelope?.mode, bulk.chunks?.mode].filter((m): m is string => m !== undefined);
}

/** Load-time checks: the named operations and parameters exist where they are used. */
export function checkBulk(op: CompiledOperation, operations: readonly CompiledOperation[]): void {
  const bulk = op.descriptor.bulk;
  if (!bulk) return;
  const file = op.descriptor.file;
  const fail = (message: string) => descriptorError(file, undefined, `<bulk>: ${message}`);
  const own = (p: string | undefined, what: string) => {
    if (p !== undefined && op.parameters.lookup.get(p)?.name !== p) throw fail(`${what} '${p}' is not a parameter of ${op.descriptor.name}`);
  };
  own(bulk.itemsFrom, 'itemsFrom');
  own(bulk.modeFrom, 'modeFrom');
  own(bulk.concurrencyFrom, 'concurrencyFrom');
  own(bulk.chunkSizeFrom, 'chunkSizeFrom');
  own(bulk.keyFrom, 'keyFrom');
  const modes = bulkModes(bulk);
  if (modes.length === 0) throw fail('declares no mode (<each>, <envelope> or <chunks>)');
  if (new Set(modes).size !== modes.length) throw fail(`two ways share a mode name (${modes.join(', ')})`);
  const enumOf = op.parameters.lookup.get(bulk.modeFrom)?.enum;
  for (const m of modes) if (enumOf && !enumOf.includes(m)) throw fail(`mode '${m}' is not a value of ${bulk.modeFrom} (${enumOf.join(', ')})`);
  const target = (name: string, parameter: string, what: string) => {
    const o = operations.find((x) => x.descriptor.name === name);
    if (!o) throw fail(`${what} names no operation of the catalogue ('${name}')`);
    if (o.descriptor.bulk || o.steps) throw fail(`${what} '${name}' must be a single call`);
    if (o.parameters.lookup.get(parameter)?.name !== parameter) throw fail(`'${parameter}' is not a parameter of ${name}`);
    return o;
  };
  if (bulk.each) target(bulk.each.operation, bulk.each.itemTo, '<each operation>');
  if (bulk.envelope) {
    target(bulk.envelope.operation, bulk.envelope.requestsTo, '<envelope operation>');
    if (bulk.envelope.idTo) target(bulk.envelope.operation, bulk.envelope.idTo, '<envelope operation>');
    target(bulk.envelope.itemOperation, bulk.envelope.itemTo, '<envelope itemOperation>');
  }
  if (bulk.chunks) {
    target(bulk.chunks.operation, bulk.chunks.itemsTo, '<chunks operation>');
    const rb = bulk.chunks.readBack;
    if (rb) {
      const read = target(rb.operation, rb.tableTo, '<readBack operation>');
      target(rb.operation, rb.queryTo, '<readBack operation>');
      if (!read.descriptor.paging?.allPagesFrom) throw fail(`<readBack operation> '${rb.operation}' must declare <paging allPagesFrom>`);
      own(rb.tableFrom, 'readBack tableFrom');
    }
  }
}
