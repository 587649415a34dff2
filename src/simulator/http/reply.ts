// What a handler returns, and the ServiceNow envelopes every handler shares.

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised body; absent for 204. */
  body?: string;
  /** A binary body (attachment content), sent instead of `body`. */
  binary?: Buffer;
  /** A JSON body as byte runs in order (a list page of cached records), sent without joining them into one buffer. */
  parts?: readonly Buffer[];
  /** Records the answer holds (for the per-row latency knob). */
  rows?: number;
}

/** The body's bytes in one buffer, whichever way the reply holds them. */
export function replyBytes(reply: Reply): Buffer | undefined {
  if (reply.binary) return reply.binary;
  if (reply.parts) return Buffer.concat(reply.parts);
  return reply.body === undefined ? undefined : Buffer.from(reply.body, 'utf8');
}

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** A body already serialised as JSON text. */
export function rawJsonReply(status: number, json: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: json };
}

/** ServiceNow's error envelope: {"error":{"message","detail"},"status":"failure"}. */
export function errorReply(status: number, message: string, detail: string | null = null, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { error: { message, detail }, status: 'failure' }, headers);
}

export const notFound = (): Reply => errorReply(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
export const invalidTable = (name: string): Reply => errorReply(400, `Invalid table ${name}`, `Table ${name} does not exist`);
export const malformedBody = (): Reply => errorReply(400, 'Exception while reading request', 'The payload is not valid JSON.');
export const notAuthorized = (detail: string): Reply => errorReply(403, 'User Not Authorized', detail);
