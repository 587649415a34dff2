// Exactly-once creates. When an operation declares <idempotency> and the caller names the column that identifies
// the record (e.g. idempotencyField=correlation_id), the create carries an outcome probe: if the transport cannot
// tell whether the create reached the instance (a reset after the write, a 5xx, a cut body), it runs the declared
// lookup for `<column>=<value>` and reports a found record as the create's answer instead of creating it twice.
import type { CompiledOperation } from '../catalogue/index.js';
import { ConnectorError } from '../errors.js';
import { parseJsonOrUndefined, type IncomingResponse, type OutcomeProbe, type OutgoingRequest } from '../http/index.js';

export type RequestRenderer = (op: CompiledOperation, values: Record<string, unknown>) => OutgoingRequest;

export function outcomeProbeFor(
  op: CompiledOperation,
  values: Readonly<Record<string, unknown>>,
  request: OutgoingRequest,
  lookupOp: CompiledOperation,
  render: RequestRenderer,
): OutcomeProbe | undefined {
  const guard = op.descriptor.idempotency!;
  const column = values[guard.fieldFrom];
  if (column === undefined) return undefined;
  const name = op.descriptor.name;
  const value = columnValue(name, guard.fieldFrom, String(column), request.body);

  // The lookup gets every value of the create that it also declares (the table, display options...), plus the query.
  const lookupValues: Record<string, unknown> = {};
  for (const p of lookupOp.parameters.list) if (values[p.name] !== undefined) lookupValues[p.name] = values[p.name];
  lookupValues[guard.queryParameter] = `${String(column)}=${value}`;
  const probe = render(lookupOp, lookupValues);

  const listMember = lookupOp.descriptor.paging?.records ?? lookupOp.descriptor.response.require ?? 'result';
  const createdMember = op.descriptor.response.require ?? listMember;
  return {
    request: { ...probe, operation: name },
    interpret(res: IncomingResponse): IncomingResponse | undefined {
      const json = res.json ?? parseJsonOrUndefined(res.body);
      const rows = (json as Record<string, unknown> | undefined)?.[listMember];
      if (!Array.isArray(rows)) return undefined;
      // Instances compare strings case-insensitively: only a row holding exactly this value is our create.
      const row = rows.find((r) => holdsExactly(r, String(column), value));
      if (row === undefined) return undefined;
      const created = { [createdMember]: row };
      // Reported as the create's own answer, so callers see one shape whatever path the create took.
      return { status: 201, headers: res.headers, body: JSON.stringify(created), json: created, attempts: res.attempts };
    },
  };
}

/** The identifying value must be in the body being sent, and be usable inside an equality condition. */
function columnValue(operation: string, parameter: string, column: string, body: OutgoingRequest['body']): string {
  const parsed = typeof body === 'string' ? parseJsonOrUndefined(body) : undefined;
  const raw = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>)[column] : undefined;
  if (raw === undefined || raw === null || raw === '' || typeof raw === 'object') {
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation,
      parameter,
      message: `${operation}: ${parameter} names the column '${column}', but the record being created has no value for it; set ${column} in the payload so a retried create can be recognised`,
    });
  }
  const value = String(raw);
  // '^' separates conditions and newlines end the query; such a value could match another record.
  if (/[\^\r\n]/.test(value)) {
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation,
      parameter,
      message: `${operation}: the value of '${column}' used by ${parameter} must not contain '^' or a line break`,
    });
  }
  return value;
}

function holdsExactly(row: unknown, column: string, value: string): boolean {
  if (row === null || typeof row !== 'object') return false;
  const cell = (row as Record<string, unknown>)[column];
  // With display values on, a cell is {value, display_value}.
  const actual = cell !== null && typeof cell === 'object' ? (cell as Record<string, unknown>)['value'] : cell;
  return actual === value;
}

