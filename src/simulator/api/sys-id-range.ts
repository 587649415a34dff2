// Fast path for keyset reads over a sys_id range (partitioned reads): a query made only of sys_id comparisons
// (`sys_id>=A^sys_id<B^sys_id>CURSOR`, optionally ORDERBYsys_id) is answered by binary search in the sys_id index,
// as a database answers it from the primary key, instead of scanning and sorting the table for every page.
import type { ParsedQuery } from '../query/types.js';
import { SYS_ID_PATTERN, writeSysIdBytes } from '../store/columns.js';
import type { TableStore } from '../store/table-store.js';

/** [start, end) positions in the sys_id order matching the query, or undefined when the query has another shape. */
export function sysIdRangePositions(parsed: ParsedQuery, table: TableStore): { start: number; end: number } | undefined {
  if (parsed.groups.length !== 1) return undefined;
  const order = parsed.orderBy;
  if (order.length > 1 || (order.length === 1 && (order[0]!.field !== 'sys_id' || order[0]!.descending))) return undefined;
  const clauses = parsed.groups[0]!.clauses;
  if (clauses.length === 0) return undefined;
  let start = 0;
  let end = table.sysIdOrder().length;
  const key = new Uint8Array(16);
  for (const clause of clauses) {
    if (clause.length !== 1) return undefined;
    const c = clause[0]!;
    if (c.field !== 'sys_id' || !SYS_ID_PATTERN.test(c.value)) return undefined;
    writeSysIdBytes(c.value, key, 0);
    switch (c.operator) {
      case '>':
        start = Math.max(start, table.upperBound(key));
        break;
      case '>=':
        start = Math.max(start, table.lowerBound(key));
        break;
      case '<':
        end = Math.min(end, table.lowerBound(key));
        break;
      case '<=':
        end = Math.min(end, table.upperBound(key));
        break;
      default:
        return undefined;
    }
  }
  return { start, end: Math.max(start, end) };
}
