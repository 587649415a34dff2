// Operations declared with <response body="stream"/> (binary downloads): the 2xx body is handed to the caller
// unread, so a large file never sits in memory; an error answer is read and mapped like any other.
// A sequence (invoked with a MessageContext) has no use for a stream and would leave it holding a connection slot:
// there the body is read and becomes a JSON payload {"result": {"content_type", "size_bytes", "content_base64"}}.
import type { CompiledOperation } from '../catalogue/index.js';
import { readBytesLimited, type OutgoingRequest, type Transport } from '../http/index.js';
import { mapResponse } from './response.js';
import type { InvokeResult } from './types.js';

export async function sendStreamed(transport: Transport, op: CompiledOperation, request: OutgoingRequest, forContext: boolean): Promise<InvokeResult> {
  const res = await transport.open(request);
  if (res.status >= 200 && res.status < 300) {
    if (!forContext) return { status: res.status, payload: undefined, headers: res.headers, body: res.body };
    // Held whole in memory (and again as base64), so capped like any body read whole.
    const bytes = await readBytesLimited(res.body, transport.maxResponseBytes, res.headers['content-length']);
    if (bytes === undefined) throw transport.tooLarge(request, res.status);
    const contentType = res.headers['content-type'] ?? 'application/octet-stream';
    return { status: res.status, payload: { result: { content_type: contentType, size_bytes: String(bytes.length), content_base64: bytes.toString('base64') } }, headers: res.headers };
  }
  const text = (await readBytesLimited(res.body, transport.maxResponseBytes, undefined))?.toString('utf8') ?? '';
  return mapResponse(op, { status: res.status, headers: res.headers, body: text, attempts: res.attempts });
}
