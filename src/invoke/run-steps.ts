// Runs a multi-step operation (<steps> in its file): each step is an ordinary invocation of another operation
// of the catalogue on the same connection, so auth, retries and error mapping are those of single calls.
import type { CompiledStep } from '../catalogue/steps.js';
import type { JsonValue } from '../context/index.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import { RESULT_BUILDERS } from '../schema/result-builders.js';
import type { InvokeResult } from './types.js';

export type StepInvoker = (operation: string, params: Record<string, unknown>) => Promise<InvokeResult>;

export async function runSteps(
  operation: string,
  steps: readonly CompiledStep[],
  resultBuilder: string | undefined,
  values: Readonly<Record<string, unknown>>,
  invokeStep: StepInvoker,
): Promise<InvokeResult> {
  // Templates of later steps read the operation's parameters and the earlier steps' payloads by step name.
  const context: Record<string, unknown> = { ...values };
  const payloads: Record<string, unknown> = {};
  let last: InvokeResult | undefined;
  for (const step of steps) {
    let result: InvokeResult;
    // Built outside the try: a value refused here is the operation's own bad input, not a failed step.
    const params = step.parameters(context);
    try {
      result = await invokeStep(step.operation, params);
    } catch (err) {
      if (!isConnectorError(err)) throw err;
      throw new ConnectorError({
        code: err.code,
        operation,
        parameter: err.parameter,
        status: err.status,
        retryable: err.retryable,
        message: `${operation}: step '${step.name}' failed: ${err.message}`,
        detail: err.detail,
        cause: err,
      });
    }
    payloads[step.name] = result.payload;
    context[step.name] = result.payload;
    if (step.emptyError && isEmptyList(result.payload)) {
      throw new ConnectorError({ code: 'NOT_FOUND', operation, message: `${operation}: ${step.emptyError(context)}` });
    }
    last = result;
  }
  if (resultBuilder === undefined) return last!;
  const builder = RESULT_BUILDERS[resultBuilder]!;
  const payload: JsonValue = { result: builder.build({ operation, values, steps: payloads }) };
  return { status: 200, payload, headers: {} };
}

function isEmptyList(payload: unknown): boolean {
  const result = (payload as { result?: unknown } | null | undefined)?.result;
  return Array.isArray(result) && result.length === 0;
}
