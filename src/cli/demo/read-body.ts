// The request body of a demo mock, bounded: a mock must not buffer whatever a client sends.
import type { IncomingMessage } from 'node:http';

/** Bodies above this size are read to the end and dropped. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** The body as UTF-8 text, or undefined when it was larger than MAX_REQUEST_BYTES. */
export function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
