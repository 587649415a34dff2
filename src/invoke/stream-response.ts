// Operations declared with <response body="stream"/> (binary downloads): the 2xx body is handed to the caller
// unread, so a large file never sits in memory; an error answer is read and mapped like any other.
import type { CompiledOperation } from '../catalogue/index.js';
import type { OutgoingRequest, Transport } from '../http/index.js';
import { mapResponse } from './response.js';
import type { InvokeResult } from './types.js';

export async function sendStreamed(transport: Transport, op: CompiledOperation, request: OutgoingRequest): Promise<InvokeResult> {
  const res = await transport.open(request);
  if (res.status >= 200 && res.status < 300) return { status: res.status, payload: undefined, headers: res.headers, body: res.body };
  let text = '';
  for await (const chunk of res.body) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return mapResponse(op, { status: res.status, headers: res.headers, body: text, attempts: res.attempts });
}
