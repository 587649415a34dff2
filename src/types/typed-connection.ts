// A compiler-checked view of a Connection: the operation name selects the parameter type generated from the
// catalogue (operations.ts), so a misspelled operation or parameter, or a wrong value type, fails to compile.
import type { MessageContext } from '../context/message-context.js';
import type { OutgoingRequest, RequestPreview } from '../http/types.js';
import type { RecordStream } from '../paging/types.js';
import type { BulkOptions, BulkRun, Connection, InvokeOptions, InvokeResult, PreviewOptions, StreamOptions } from '../invoke/types.js';
import type { OperationName, OperationParameters } from './operations.js';

export interface TypedConnection {
  invoke<K extends OperationName>(operation: K, params: OperationParameters[K], options?: InvokeOptions): Promise<InvokeResult>;
  invoke(operation: OperationName, context: MessageContext, options?: Omit<InvokeOptions, 'context'>): Promise<InvokeResult>;
  /** Every record of an all-pages read (Connection.stream), with the operation's parameters checked by the compiler. */
  stream<K extends OperationName>(operation: K, params: OperationParameters[K], options?: StreamOptions): RecordStream;
  /** One call per item (Connection.bulk); each item is checked as the operation's parameters. */
  bulk<K extends OperationName>(operation: K, items: Iterable<Partial<OperationParameters[K]>> | AsyncIterable<Partial<OperationParameters[K]>>, options?: BulkOptions): BulkRun;
  prepare<K extends OperationName>(operation: K, params: OperationParameters[K], options?: InvokeOptions): OutgoingRequest;
  preview<K extends OperationName>(operation: K, params: OperationParameters[K], options?: PreviewOptions): RequestPreview;
  close(): Promise<void>;
  /** The untyped connection (for operations of a catalogue other than the package's own). */
  readonly untyped: Connection;
}

export function typedConnection(connection: Connection): TypedConnection {
  return {
    invoke: (operation: OperationName, arg: object, options?: InvokeOptions) =>
      connection.invoke(operation, arg as Record<string, unknown>, options),
    stream: (operation, params, options) => connection.stream(operation, params as unknown as Record<string, unknown>, options),
    bulk: (operation, items, options) => connection.bulk(operation, items as Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>, options),
    prepare: (operation, params, options) => connection.prepare(operation, params as unknown as Record<string, unknown>, options),
    preview: (operation, params, options) => connection.preview(operation, params as unknown as Record<string, unknown>, options),
    close: () => connection.close(),
    untyped: connection,
  } as TypedConnection;
}
