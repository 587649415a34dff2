// A compiler-checked view of a Connection: the operation name selects the parameter type generated from the
// catalogue (operations.ts), so a misspelled operation or parameter, or a wrong value type, fails to compile.
import type { MessageContext } from '../context/message-context.js';
import type { OutgoingRequest, RequestPreview } from '../http/types.js';
import type { Connection, InvokeOptions, InvokeResult, PreviewOptions } from '../invoke/types.js';
import type { OperationName, OperationParameters } from './operations.js';

export interface TypedConnection {
  invoke<K extends OperationName>(operation: K, params: OperationParameters[K], options?: InvokeOptions): Promise<InvokeResult>;
  invoke(operation: OperationName, context: MessageContext, options?: Omit<InvokeOptions, 'context'>): Promise<InvokeResult>;
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
    prepare: (operation, params, options) => connection.prepare(operation, params as unknown as Record<string, unknown>, options),
    preview: (operation, params, options) => connection.preview(operation, params as unknown as Record<string, unknown>, options),
    close: () => connection.close(),
    untyped: connection,
  } as TypedConnection;
}
