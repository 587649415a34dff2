// All-pages reads: a generic engine (keyset, link and offset strategies, since-watermark, prefetch, parallel
// offset ranges) streaming records page by page. Wire names come from the operation's <paging> declaration.
export { firstPageRequest, openRecordStream } from './engine.js';
export { pagingSettings, pagingWire, wantsAllPages, type ReadOverrides } from './settings.js';
export { recordBatches, TruncatedBodyError } from './json-records.js';
export type * from './types.js';
export type { ConcurrencyProgress } from './adaptive-limit.js';
export { countHeader, nextLink } from './request-query.js';
