// One open connection: bind -> validate -> render -> send -> map, for any operation of the catalogue.
// Everything compiled lives in the catalogue; this path only runs compiled functions.
import type { Catalogue, CompiledOperation } from '../catalogue/index.js';
import { MessageContext, type JsonValue } from '../context/index.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import type { OutgoingRequest, RequestPreview, Transport } from '../http/index.js';
import { redactText } from '../logger.js';
import { firstPageRequest, openRecordStream, pagingSettings, pagingWire, wantsAllPages, type PagingSettings, type PagingWire, type RecordStream } from '../paging/index.js';
import { runChecks, SchemaCache, type TableSchema } from '../schema/index.js';
import { bindParameters, parametersFromContext } from './bind.js';
import { writeError, writeResult } from './context-writer.js';
import { checkParameterHeaders } from './header-check.js';
import { outcomeProbeFor } from './outcome-probe.js';
import { pagingHeadersOf } from './paging-headers.js';
import { PARSE_ON_READ } from './deferred-payload.js';
import { mapResponse } from './response.js';
import { runSteps } from './run-steps.js';
import { sendStreamed } from './stream-response.js';
import { startBulk } from './bulk.js';
import { runDeclaredBulk, type BulkHost } from './bulk-modes.js';
import type { BulkOptions, BulkRun, Connection, InvokeOptions, InvokeResult, PreviewOptions, StreamOptions } from './types.js';
import { validateParameters } from './validate.js';

export interface SharedTransport {
  transport: Transport;
  /** Called once by close(); the owner closes the transport when its last user is gone. */
  release(): Promise<void>;
}

const DEFAULT_BULK_CONCURRENCY = 8;

export class CatalogueConnection implements Connection {
  private closed = false;
  /** Table schemas for <check> declarations (validatePayload, strictQuery), read through the catalogue. */
  private readonly schemas = new SchemaCache(async (schemaOperation, tableParameter, table) => {
    const { payload } = await this.invoke(schemaOperation, { [tableParameter]: table });
    return (payload as unknown as { result: TableSchema }).result;
  });

  constructor(
    private readonly catalogue: Catalogue,
    private readonly shared: SharedTransport,
  ) {}

  invoke(operation: string, params?: Record<string, unknown>, options?: InvokeOptions): Promise<InvokeResult>;
  invoke(operation: string, context: MessageContext, options?: Omit<InvokeOptions, 'context'>): Promise<InvokeResult>;
  async invoke(operation: string, arg?: Record<string, unknown> | MessageContext, options: InvokeOptions = {}): Promise<InvokeResult> {
    const fromContext = arg instanceof MessageContext;
    const context = fromContext ? arg : options.context;
    try {
      const op = this.find(operation);
      const params = fromContext ? parametersFromContext(op, arg) : (arg ?? {});
      // Expressions in values are evaluated only on request: values are data unless the caller says otherwise.
      const expressionContext = options.evaluateExpressions ? context : undefined;
      // Multi-step operations and schema checks (src/catalogue/steps.ts) run other operations first.
      let result: InvokeResult;
      const allPages = op.descriptor.paging?.allPagesFrom !== undefined ? this.bindValues(op, params, expressionContext) : undefined;
      if (allPages && wantsAllPages(op.descriptor.paging, allPages)) {
        // All-pages mode through invoke: the streamed records collected into one payload (stream() keeps memory flat).
        result = await this.collectAll(op, allPages);
      } else if (op.descriptor.bulk) {
        result = await this.collectBulk(op, this.bindValues(op, params, expressionContext));
      } else if (op.steps) {
        const values = this.bindValues(op, params, expressionContext);
        result = await runSteps(op.descriptor.name, op.steps, op.descriptor.steps!.result, values, (name, p) => this.invoke(name, p));
      } else {
        const { request, values } = this.renderWithValues(op, params, expressionContext);
        if (options.signal) request.signal = options.signal;
        if (op.descriptor.idempotency) this.attachOutcomeProbe(op, values, request, isRedelivery(context) || options.mayExist === true);
        if (op.descriptor.checks) await runChecks(op.descriptor.name, op.descriptor.checks, values, typeof request.body === 'string' ? request.body : undefined, this.schemas);
        if (op.descriptor.response.stream) result = await sendStreamed(this.shared.transport, op, request, context !== undefined);
        else result = mapResponse(op, await this.shared.transport.send(request), options[PARSE_ON_READ] === true);
      }
      Object.assign(result, pagingHeadersOf(op.descriptor.paging, result.headers));
      if (context) writeResult(context, result, options.overwriteBody !== false);
      return result;
    } catch (err) {
      const error = asConnectorError(err, operation);
      if (context) writeError(context, error);
      throw error;
    }
  }

  stream(operation: string, params: Record<string, unknown> = {}, options: StreamOptions = {}): RecordStream {
    const op = this.find(operation);
    const values = this.bindValues(op, params, options.context);
    // Schema checks (strictQuery) must pass before the first page is requested; stream() itself is synchronous,
    // so the first page's request waits for them and a failed check ends the stream with its error.
    const checked = op.descriptor.checks ? runChecks(op.descriptor.name, op.descriptor.checks, values, undefined, this.schemas) : undefined;
    checked?.catch(() => undefined);
    return this.openStream(op, values, options.countTotal ?? false, checked);
  }

  bulk(operation: string, items: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>, options: BulkOptions = {}): BulkRun {
    const op = this.find(operation);
    const name = op.descriptor.name;
    const shared = options.params ?? {};
    const declared = op.descriptor.bulk;
    if (declared) {
      // An operation that loads many items itself: the items are its records, the options its parameters.
      const concurrency = options.concurrency !== undefined && declared.concurrencyFrom ? { [declared.concurrencyFrom]: options.concurrency } : {};
      const values = this.bindValues(op, { ...shared, ...concurrency }, undefined);
      return runDeclaredBulk(op, values, items, this.bulkHost(), options.onProgress);
    }
    return startBulk(name, items, options.concurrency ?? DEFAULT_BULK_CONCURRENCY, (item) => this.invoke(name, { ...shared, ...item }));
  }

  private async collectBulk(op: CompiledOperation, values: Record<string, unknown>): Promise<InvokeResult> {
    const bulk = op.descriptor.bulk!;
    const name = op.descriptor.name;
    const items = values[bulk.itemsFrom];
    if (!Array.isArray(items)) {
      throw new ConnectorError({ code: 'MISSING_PARAMETER', operation: name, parameter: bulk.itemsFrom, message: `${name}: '${bulk.itemsFrom}' is required (a JSON array of the items to load)` });
    }
    const member = op.descriptor.response.require ?? 'result';
    const results: JsonValue[] = [];
    const run = runDeclaredBulk(op, values, items, this.bulkHost());
    for await (const r of run) {
      if (r.ok) results.push(((r.result.payload as Record<string, JsonValue> | undefined)?.[member] ?? null) as JsonValue);
      else results.push({ error: { code: r.error.code, message: r.error.message, ...(r.error.status !== undefined ? { status: r.error.status } : {}) } });
    }
    return { status: 200, payload: { [member]: results, succeeded: run.progress.succeeded, failed: run.progress.failed }, headers: {} };
  }

  /** What a declared bulk operation runs its inner operations through: this connection. */
  private bulkHost(): BulkHost {
    return {
      invoke: (operation, params, mayExist) => this.invoke(operation, params, mayExist ? { mayExist } : {}),
      render: (operation, params) => this.render(this.find(operation), params, undefined),
      failure: (operation, status, body) => {
        try {
          mapResponse(this.find(operation), { status, headers: {}, body, attempts: 1 });
        } catch (err) {
          if (isConnectorError(err)) return err;
        }
        return new ConnectorError({ code: 'SERVICENOW_ERROR', operation, status, message: `${operation}: ServiceNow answered ${status}` });
      },
      stream: (operation, params) => {
        const op = this.find(operation);
        return this.stream(operation, { ...params, [op.descriptor.paging!.allPagesFrom!]: true });
      },
      declares: (operation, parameter) => this.find(operation).parameters.lookup.get(parameter)?.name === parameter,
    };
  }

  private openStream(op: CompiledOperation, values: Record<string, unknown>, countTotal: boolean, checked?: Promise<void>): RecordStream {
    const { name, first, wire, settings } = this.pagedRead(op, values, countTotal);
    const transport = this.shared.transport;
    return openRecordStream(
      {
        operation: name,
        first,
        deadlineMs: transport.deadlineMs,
        open: async (req) => {
          if (checked) await checked;
          return transport.open(req);
        },
        failure: (status, headers, body) => {
          try {
            mapResponse(op, { status, headers, body, attempts: 1 });
          } catch (err) {
            return err instanceof Error ? err : new Error(String(err));
          }
          return new ConnectorError({ code: 'SERVICENOW_ERROR', operation: name, status, message: `${name}: ServiceNow answered ${status}` });
        },
      },
      wire,
      settings,
    );
  }

  /** What an all-pages read of these values runs on: the rendered request, the wire names and the read's settings. */
  private pagedRead(op: CompiledOperation, values: Record<string, unknown>, countTotal: boolean): { name: string; first: OutgoingRequest; wire: PagingWire; settings: PagingSettings } {
    const name = op.descriptor.name;
    const paging = op.descriptor.paging;
    if (!paging || op.steps) {
      throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: name, message: `${name}: this operation does not declare paging, so it cannot read every page` });
    }
    const first = this.toRequest(op, values);
    return { name, first, wire: pagingWire(paging), settings: pagingSettings(name, paging, values, first, { countTotal, connections: this.shared.transport.connections }) };
  }

  private async collectAll(op: CompiledOperation, values: Record<string, unknown>): Promise<InvokeResult> {
    if (op.descriptor.checks) await runChecks(op.descriptor.name, op.descriptor.checks, values, undefined, this.schemas);
    const stream = this.openStream(op, values, false);
    const records: JsonValue[] = [];
    for await (const record of stream) records.push(record as JsonValue);
    const headers: Record<string, string> = {};
    if (stream.progress.totalCount !== undefined) headers[pagingWire(op.descriptor.paging!).totalHeader] = String(stream.progress.totalCount);
    return { status: 200, payload: { [op.descriptor.paging!.records ?? 'result']: records }, headers };
  }

  prepare(operation: string, params: Record<string, unknown> = {}, options: InvokeOptions = {}): OutgoingRequest {
    return this.render(this.find(operation), params, options.evaluateExpressions ? options.context : undefined);
  }

  preview(operation: string, params: Record<string, unknown> = {}, options: PreviewOptions = {}): RequestPreview {
    const op = this.find(operation);
    const context = options.evaluateExpressions ? options.context : undefined;
    if (op.descriptor.paging?.allPagesFrom !== undefined) {
      const values = this.bindValues(op, params, context);
      if (wantsAllPages(op.descriptor.paging, values)) {
        // The first page as the paging engine asks for it (page size, order, cursor and count terms), not the
        // single-page request the parameters alone would render.
        const { name, first, wire, settings } = this.pagedRead(op, values, options.countTotal ?? false);
        return this.shared.transport.preview(firstPageRequest({ operation: name, first }, wire, settings) ?? first);
      }
    }
    return this.shared.transport.preview(this.render(op, params, context));
  }

  transportStats(): { requests: number; retries: number } {
    return this.shared.transport.stats();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shared.release();
  }

  private find(operation: string): CompiledOperation {
    const op = this.catalogue.find(operation);
    if (op) return op;
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation,
      message: `unknown operation '${operation}' (operations: ${this.catalogue.operations.map((o) => o.descriptor.name).join(', ')})`,
    });
  }

  private render(op: CompiledOperation, params: Readonly<Record<string, unknown>>, context: MessageContext | undefined): OutgoingRequest {
    if (op.steps) {
      const steps = op.steps.map((s) => s.operation).join(', ');
      throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: op.descriptor.name, message: `${op.descriptor.name}: makes several requests (${steps}) whose parameters depend on earlier answers; dry-run its steps one by one` });
    }
    return this.renderWithValues(op, params, context).request;
  }

  private bindValues(op: CompiledOperation, params: Readonly<Record<string, unknown>>, context: MessageContext | undefined): Record<string, unknown> {
    if (this.closed) {
      throw new ConnectorError({ code: 'CONNECTION_ERROR', operation: op.descriptor.name, message: `${op.descriptor.name}: the connection is closed` });
    }
    const values = bindParameters(op, params, context);
    validateParameters(op, values);
    return values;
  }

  private renderWithValues(op: CompiledOperation, params: Readonly<Record<string, unknown>>, context: MessageContext | undefined): { request: OutgoingRequest; values: Record<string, unknown> } {
    const values = this.bindValues(op, params, context);
    return { request: this.toRequest(op, values), values };
  }

  /** Exactly-once creates: see outcome-probe.ts. The lookup's own parameters are validated like any call's. */
  private attachOutcomeProbe(op: CompiledOperation, values: Record<string, unknown>, request: OutgoingRequest, redelivered: boolean): void {
    const lookup = this.catalogue.find(op.descriptor.idempotency!.lookup)!;
    const probe = outcomeProbeFor(op, values, request, lookup, (o, v) => this.toRequest(o, this.bindValues(o, v, undefined)));
    if (!probe) return;
    // A message delivered before may have been created by a consumer that died before it could say so.
    if (redelivered) probe.first = true;
    request.outcomeProbe = probe;
  }

  private toRequest(op: CompiledOperation, values: Record<string, unknown>): OutgoingRequest {
    const call = op.render!(values);
    const request: OutgoingRequest = {
      operation: op.descriptor.name,
      method: call.method,
      path: call.path,
      query: call.query,
      headers: call.headers,
      ...(call.body !== undefined ? { body: call.body } : {}),
      idempotent: call.idempotent,
    };
    checkParameterHeaders(op, request);
    return request;
  }
}

/**
 * The transport reports its failures as ConnectorErrors already; a raw error with a system or undici code is still a
 * network failure. Anything else is a bug and is passed on unchanged, so it is not mistaken for a network problem.
 */
function asConnectorError(err: unknown, operation: string): ConnectorError | Error {
  if (isConnectorError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) {
    const message = err instanceof Error ? err.message : String(err);
    return new ConnectorError({ code: 'CONNECTION_ERROR', operation, retryable: true, message: `${operation}: ${redactText(message)}`, cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * `DELIVERY_COUNT` (message scope) above 1: a message store, processor or inbound endpoint delivers this
 * message again, so a create with an idempotency field looks its record up before sending.
 */
export const DELIVERY_COUNT_PROPERTY = 'DELIVERY_COUNT';

function isRedelivery(context: MessageContext | undefined): boolean {
  const count = Number(context?.getProperty(DELIVERY_COUNT_PROPERTY));
  return Number.isFinite(count) && count > 1;
}
