// A header value taken from a parameter must be sendable: undici refuses a CR, LF or other control character
// locally. Checked when the request is rendered, so the error names the parameter and nothing is sent.
import type { CompiledOperation } from '../catalogue/index.js';
import { ConnectorError } from '../errors.js';
import { headerValueProblem, type OutgoingRequest } from '../http/index.js';

export function checkParameterHeaders(op: CompiledOperation, request: OutgoingRequest): void {
  for (const h of op.descriptor.call?.headers ?? []) {
    if (h.from === undefined) continue;
    const value = request.headers[h.name];
    const problem = value === undefined ? undefined : headerValueProblem(value);
    if (problem === undefined) continue;
    const name = op.descriptor.name;
    throw new ConnectorError({
      code: 'INVALID_PARAMETER',
      operation: name,
      parameter: h.from,
      message: `${name}: '${h.from}' holds ${problem}, which the ${h.name} header cannot carry (a line break would split the header); nothing was sent`,
    });
  }
}
