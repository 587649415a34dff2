// The one place that knows the syntax of an encoded query (conditions joined by ^, ^OR, ^NQ, ordering by
// ORDERBY/ORDERBYDESC, a line break ending the query, javascript: values evaluated by the instance), so that a
// parameter value placed inside one cannot change the query. Operation files decide where values go; this module
// only refuses values that would be read as query syntax there. Checked before anything is sent.
import { ConnectorError } from '../errors.js';

// Any '^' starts syntax (^, ^OR, ^NQ, ^EQ, ^ORDERBY); control characters end or split the query.
const CONTROL = /[\u0000-\u001f\u007f]/;
const ORDER = /ORDERBY/i;
const SCRIPT = /^\s*javascript\s*:/i;

/**
 * What is wrong with a value placed inside an encoded query by a template (e.g. `user_name={{userName}}`),
 * or undefined when it can only be read as a value.
 */
export function valueInQueryProblem(text: string): string | undefined {
  if (text.includes('^')) {
    const token = /\^(OR|NQ|EQ|ORDERBYDESC|ORDERBY)?/.exec(text)![0];
    return `contains '${token}', which would add encoded-query syntax (conditions, OR groups or ordering) to the query`;
  }
  if (CONTROL.test(text)) return 'contains a line break or control character, which would end or split the encoded query';
  if (ORDER.test(text)) return "contains 'ORDERBY', which would change the query's ordering";
  if (SCRIPT.test(text)) return "starts with 'javascript:', which the instance would evaluate as a script";
  return undefined;
}

/** What is wrong with a whole encoded query given by the caller (a parameter of type encodedQuery). */
export function encodedQueryProblem(text: string): string | undefined {
  if (CONTROL.test(text)) return 'contains a line break or control character; an encoded query is one line (join conditions with ^)';
  return undefined;
}

export function refuseValueInQuery(operation: string, parameter: string, text: string): void {
  const problem = valueInQueryProblem(text);
  if (problem === undefined) return;
  throw new ConnectorError({
    code: 'INVALID_PARAMETER',
    operation,
    parameter,
    message: `${operation}: parameter '${parameter}' is placed inside an encoded query and ${problem}; nothing was sent. To pass a whole query, use a parameter of type encodedQuery.`,
  });
}

export function refuseBadEncodedQuery(operation: string, parameter: string, text: string): void {
  const problem = encodedQueryProblem(text);
  if (problem === undefined) return;
  throw new ConnectorError({ code: 'INVALID_PARAMETER', operation, parameter, message: `${operation}: parameter '${parameter}' (an encoded query) ${problem}; nothing was sent.` });
}

/** Header values: a line break would start another header. */
export function refuseBadHeaderValue(operation: string, parameter: string, text: string): void {
  if (!CONTROL.test(text.replace(/\t/g, ''))) return;
  throw new ConnectorError({
    code: 'INVALID_PARAMETER',
    operation,
    parameter,
    message: `${operation}: parameter '${parameter}' is placed in a header and contains a line break or control character; nothing was sent.`,
  });
}
