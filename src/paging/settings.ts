// Reads an all-pages read's settings from the operation's validated parameter values, through the parameter names
// its <paging> declaration gives; and the wire names the engine uses.
import type { PagingDescriptor } from '../catalogue/types.js';
import { ConnectorError } from '../errors.js';
import type { OutgoingRequest } from '../http/types.js';
import { AUTO, partitionCount } from './partitions.js';
import { queryValue } from './request-query.js';
import type { PagingSettings, PagingStrategy, PagingWire } from './types.js';

const FALLBACK_PAGE_SIZE = 1000;
const MAX_PARALLEL = 8;

export interface ReadOverrides {
  /** Ask for the row count on the first page even when the strategy skips counts (for a progress total). */
  countTotal?: boolean;
  /** Connections the read may open at most (the connection's maxConcurrency); undefined: no limit known. */
  connections?: number;
}

/** Whether the values switch the all-pages mode on. */
export function wantsAllPages(paging: PagingDescriptor | undefined, values: Readonly<Record<string, unknown>>): boolean {
  return paging?.allPagesFrom !== undefined && values[paging.allPagesFrom] === true;
}

export function pagingWire(paging: PagingDescriptor): PagingWire {
  return {
    records: paging.records ?? 'result',
    queryParameter: paging.queryParameter,
    limitQuery: paging.limitQuery,
    offsetQuery: paging.offsetQuery,
    noCountQuery: paging.noCountQuery,
    fieldsQuery: paging.fieldsQuery,
    linkHeader: (paging.linkHeader ?? 'link').toLowerCase(),
    totalHeader: (paging.totalHeader ?? 'x-total-count').toLowerCase(),
    keyField: paging.keyField,
    watermarkField: paging.watermarkField,
    ...(paging.keyDigits !== undefined && paging.keyLength !== undefined ? { keySpace: { digits: paging.keyDigits, length: paging.keyLength } } : {}),
    syntax: { and: paging.and ?? '^', or: paging.or ?? '^NQ', orderBy: paging.orderBy ?? 'ORDERBY' },
  };
}

export function pagingSettings(
  operation: string,
  paging: PagingDescriptor,
  values: Readonly<Record<string, unknown>>,
  first: OutgoingRequest,
  overrides: ReadOverrides = {},
): PagingSettings {
  const read = (name: string | undefined): unknown => (name === undefined ? undefined : values[name]);
  const since = read(paging.sinceFrom) as string | undefined;
  let strategy = (read(paging.strategyFrom) as PagingStrategy | undefined) ?? paging.next;
  if (since !== undefined) {
    if (read(paging.strategyFrom) !== undefined && strategy !== 'keyset') {
      throw new ConnectorError({
        code: 'INVALID_PARAMETER',
        operation,
        parameter: paging.sinceFrom,
        message: `${operation}: '${paging.sinceFrom}' reads in watermark order, which needs the keyset strategy (got ${paging.strategyFrom}=${strategy})`,
      });
    }
    strategy = 'keyset';
  }
  // The page size: its own parameter, else the limit the single-page call would send, else the declared default.
  const limitGiven = Number(queryValue(first, paging.limitQuery));
  const pageSize =
    (read(paging.pageSizeFrom) as number | undefined) ??
    (Number.isInteger(limitGiven) && limitGiven > 0 ? limitGiven : undefined) ??
    paging.defaultPageSize ??
    FALLBACK_PAGE_SIZE;
  const parallel = (read(paging.parallelFrom) as number | undefined) ?? 1;
  if (parallel > 1 && strategy !== 'offset') {
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation,
      parameter: paging.parallelFrom,
      message: `${operation}: '${paging.parallelFrom}' splits the read into offset ranges, so it needs ${paging.strategyFrom ?? 'the strategy'}=offset (got ${strategy})`,
    });
  }
  const partitions = partitionCount(operation, paging, read(paging.partitionsFrom), strategy);
  const adaptive = read(paging.partitionsFrom) === AUTO;
  if (adaptive && read(paging.orderedFrom) === true) {
    // A merge holds one page of every range: with auto's many ranges that is many pages, whatever the limit.
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation,
      parameter: paging.orderedFrom,
      message: `${operation}: '${paging.orderedFrom}' merges every range's records, so every range must read at once: it needs a fixed number of ${paging.partitionsFrom} (got ${AUTO})`,
    });
  }
  if (read(paging.orderedFrom) === true && overrides.connections !== undefined && partitions > overrides.connections) {
    // The merge needs the next record of every range at once, and a range waiting for the merge keeps its streamed
    // response open on its connection: ranges beyond the connections would wait forever for one.
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation,
      parameter: paging.partitionsFrom,
      message: `${operation}: '${paging.orderedFrom}' keeps a connection open per range, and the connection has ${overrides.connections} (maxConcurrency): use at most ${overrides.connections} ${paging.partitionsFrom} (got ${partitions}), or raise maxConcurrency`,
    });
  }
  const settings: PagingSettings = {
    strategy,
    pageSize,
    prefetch: read(paging.prefetchFrom) === true,
    parallel: Math.min(Math.max(1, parallel), MAX_PARALLEL),
    // A partitioned read's count would be one partition's: no total then.
    countTotal: partitions > 1 ? false : (overrides.countTotal ?? false),
    partitions,
    ...(adaptive ? { adaptive } : {}),
    ordered: read(paging.orderedFrom) === true,
  };
  const max = read(paging.maxRecordsFrom) as number | undefined;
  if (max !== undefined) settings.maxRecords = max;
  if (since !== undefined) settings.since = since;
  return settings;
}
