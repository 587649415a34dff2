// Contract between the simulator's HTTP layer and the Aggregate (stats) engine.
import type { FieldType, RecordValues } from '../query/types.js';

export type DisplayValueMode = 'true' | 'false' | 'all';

/** The raw `sysparm_*` values of a GET /api/now/stats/{table} request (already URL-decoded, absent = undefined). */
export interface AggregateParams {
  readonly count?: string;
  readonly avgFields?: string;
  readonly minFields?: string;
  readonly maxFields?: string;
  readonly sumFields?: string;
  readonly groupBy?: string;
  readonly having?: string;
  readonly orderBy?: string;
  readonly displayValue?: DisplayValueMode;
}

export interface AggregateEnvironment {
  fieldType(path: string): FieldType | undefined;
  value(record: RecordValues, path: string): string;
  /** Display value (choice label, referenced record's display field) of a field on a record. */
  displayValue(record: RecordValues, path: string): string;
  /** Whether `display_value` appears in `groupby_fields` with sysparm_display_value=all (default true). */
  readonly groupDisplayValueWithAll?: boolean;
}

/** Thrown for bad aggregate parameters (unknown field in avg on a non-number, malformed having...). */
export class AggregateParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AggregateParamError';
  }
}

/**
 * Implemented in ./index.ts:
 *   computeAggregate(rows: Iterable<RecordValues>, params: AggregateParams, env: AggregateEnvironment): unknown
 * returns the value of `result` in ServiceNow's response: an object `{stats: {...}}` without group by,
 * an array of `{stats, groupby_fields}` with it. Throws AggregateParamError for bad parameters.
 */
