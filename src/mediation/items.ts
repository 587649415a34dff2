// What foreach iterates over. Designed as an AsyncIterable so that a streamed read (every page of
// a list operation, yielded record by record) can feed a foreach without holding the whole table in memory.
import { ConnectorError } from '../errors.js';

export type ItemSource = AsyncIterable<unknown> | Iterable<unknown>;

export function isItemSource(value: unknown): value is ItemSource {
  if (value === null || typeof value !== 'object') return false;
  return Symbol.asyncIterator in value || Symbol.iterator in value;
}

/** Items of a JSON array, any iterable or async iterable; nothing for a missing value. */
export async function* itemsOf(value: unknown, what: string): AsyncGenerator<unknown> {
  if (value === undefined || value === null) return;
  if (!isItemSource(value)) {
    throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${what}: expected an array to iterate over, got ${typeof value}` });
  }
  if (Symbol.asyncIterator in value) {
    for await (const item of value as AsyncIterable<unknown>) yield item;
  } else {
    for (const item of value as Iterable<unknown>) yield item;
  }
}
