// Reads a response body whole, but never more than the connection's maxResponseBytes: a body over the cap (declared
// by Content-Length or found while reading) is dropped unread instead of filling the memory (and, past ~512 MB,
// failing as a string too long for V8, which used to look like a network error and was downloaded again).
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** The body as text, or undefined when it is larger than `limit` bytes (the rest is not read). */
export async function readLimited(body: Dispatcher.ResponseData['body'], limit: number, contentLength: string | undefined): Promise<string | undefined> {
  // A declared length within the limit bounds what HTTP framing lets through: undici's own reader is then enough, and
  // cheaper than iterating the stream (an async iterator and its listeners per response).
  if (contentLength !== undefined && contentLength !== '' && Number(contentLength) <= limit) return body.text();
  return (await readBytesLimited(body, limit, contentLength))?.toString('utf8');
}

/** The body's bytes, or undefined when it is larger than `limit` bytes (the rest is not read). */
export async function readBytesLimited(body: Readable, limit: number, contentLength: string | undefined): Promise<Buffer | undefined> {
  if (contentLength !== undefined && Number(contentLength) > limit) {
    body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += bytes.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(bytes);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
