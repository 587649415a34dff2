// Bulk runs: one operation invoked for each item of an array or a stream, `concurrency` calls at once, results
// handed out in input order. Memory stays flat for a stream: an item is read only when a call slot is free and
// the reorder window (results done but waiting for an earlier one) is not full. A failed item is a result of its
// own (its ConnectorError), never the end of the run; each call keeps its operation's guards (retries, the
// exactly-once lookup of an idempotency field), so a fault never loses nor duplicates an item.
import { ConnectorError, isConnectorError } from '../errors.js';
import type { BulkItemResult, BulkProgress, BulkRun, InvokeResult } from './types.js';

/** Calls beyond this add nothing on any instance (a node runs a few dozen API transactions at once at best). */
export const MAX_BULK_CONCURRENCY = 64;
/** Results kept waiting for an earlier item, per call slot. */
const WINDOW_PER_SLOT = 4;

export function startBulk(
  operation: string,
  items: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
  concurrency: number,
  call: (item: Record<string, unknown>, index: number) => Promise<InvokeResult>,
): BulkRun {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_BULK_CONCURRENCY) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', operation, parameter: 'concurrency', message: `${operation}: bulk concurrency must be a whole number from 1 to ${MAX_BULK_CONCURRENCY} (got ${String(concurrency)})` });
  }
  const isIterable = items !== null && typeof items === 'object' && (Symbol.iterator in items || Symbol.asyncIterator in items);
  if (!isIterable) {
    throw new ConnectorError({ code: 'INVALID_PARAMETER', operation, message: `${operation}: bulk items must be an array or an (async) iterable of parameter objects` });
  }
  return new OrderedBulkRun(operation, items, concurrency, call);
}

class OrderedBulkRun implements BulkRun {
  readonly progress: BulkProgress = { started: 0, succeeded: 0, failed: 0 };
  private iterated = false;

  constructor(
    private readonly operation: string,
    private readonly items: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
    private readonly concurrency: number,
    private readonly call: (item: Record<string, unknown>, index: number) => Promise<InvokeResult>,
  ) {}

  async all(): Promise<BulkItemResult[]> {
    const out: BulkItemResult[] = [];
    for await (const r of this) out.push(r);
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<BulkItemResult> {
    if (this.iterated) throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: this.operation, message: `${this.operation}: a bulk run can be iterated only once` });
    this.iterated = true;
    const source = Symbol.asyncIterator in this.items ? this.items[Symbol.asyncIterator]() : (this.items as Iterable<Record<string, unknown>>)[Symbol.iterator]();
    const done = new Map<number, BulkItemResult>();
    const running = new Set<Promise<void>>();
    let nextIndex = 0;
    let nextOut = 0;
    let exhausted = false;
    const window = this.concurrency * WINDOW_PER_SLOT;
    const start = (item: Record<string, unknown>, index: number) => {
      this.progress.started++;
      const p = this.runOne(item, index).then((r) => {
        done.set(index, r);
        running.delete(p);
      });
      running.add(p);
    };
    try {
      for (;;) {
        while (!exhausted && running.size < this.concurrency && nextIndex - nextOut < window) {
          const next = await source.next();
          if (next.done) exhausted = true;
          else start(next.value, nextIndex++);
        }
        while (done.has(nextOut)) {
          const r = done.get(nextOut)!;
          done.delete(nextOut++);
          yield r;
        }
        if (exhausted && running.size === 0 && done.size === 0) return;
        if (running.size > 0) await Promise.race(running);
      }
    } finally {
      // A consumer that stops early: the calls already sent finish (their outcome must not become unknown).
      await Promise.all(running);
      if (!exhausted) await source.return?.();
    }
  }

  private async runOne(item: Record<string, unknown>, index: number): Promise<BulkItemResult> {
    try {
      const result = await this.call(item, index);
      this.progress.succeeded++;
      return { index, ok: true, result };
    } catch (err) {
      this.progress.failed++;
      const error = isConnectorError(err)
        ? err
        : new ConnectorError({ code: 'CONNECTION_ERROR', operation: this.operation, message: `${this.operation}: item ${index + 1} failed: ${err instanceof Error ? err.message : String(err)}`, cause: err });
      return { index, ok: false, error };
    }
  }
}
