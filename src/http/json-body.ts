// What a response body holds, told from its ends without parsing it: the transport must know at once whether a body
// can be whole (ServiceNow answers a cancelled transaction with a 200 whose body is cut short, and that is retried),
// and the runtime whether it holds the envelope it expects, while the value itself may never be needed (a served
// flow forwards the text as received).

/** Last character of a body that ends a JSON object or array, after trailing whitespace. */
function closingCharOf(body: string): number {
  let i = body.length - 1;
  while (i >= 0 && isJsonWhitespace(body.charCodeAt(i))) i--;
  return i < 0 ? -1 : body.charCodeAt(i);
}

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * True when the body is worth parsing only on demand: it ends as an object or an array does. ServiceNow's cut body
 * ends with its error text ("Transaction cancelled: ..."), and a body cut by the network fails the HTTP framing, so
 * neither gets here; anything else that ends like JSON and is not parses later, as a clear error where it is read.
 */
export function closesAsJsonContainer(body: string): boolean {
  const last = closingCharOf(body);
  return last === CLOSE_BRACE || last === CLOSE_BRACKET;
}

/** The body parsed, or undefined when it is not JSON. */
export function parseJsonOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * True when `body` opens an object whose first member is `name` (`{"result":`), as ServiceNow writes its envelope:
 * the required member is there without parsing. Any other order is checked by parsing.
 */
export function opensWithMember(body: string, name: string): boolean {
  let i = skipWhitespace(body, 0);
  if (body.charCodeAt(i) !== 0x7b) return false;
  i = skipWhitespace(body, i + 1);
  const key = `"${name}"`;
  if (!body.startsWith(key, i)) return false;
  return body.charCodeAt(skipWhitespace(body, i + key.length)) === 0x3a;
}

/** True when `body` opens an object or an array. */
export function opensContainer(body: string): boolean {
  const first = body.charCodeAt(skipWhitespace(body, 0));
  return first === 0x7b || first === 0x5b;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (isJsonWhitespace(text.charCodeAt(i))) i++;
  return i;
}
