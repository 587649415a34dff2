// A page body that trickles (a byte now and then, never idle long enough for the body timeout) must still end
// within the operation's deadline, as a single-page call does. Only the time spent waiting for the network counts:
// while the consumer works on records already handed out, the clock stops, so a slow consumer is never cut off.
import type { BodyChunks } from './read-ahead-body.js';

export async function* chunksWithinDeadline(body: BodyChunks, budgetMs: number, timeout: () => Error): AsyncGenerator<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  let left = budgetMs;
  try {
    for (;;) {
      const started = performance.now();
      const next = await withTimer(chunks.next(), left, () => {
        const error = timeout();
        body.destroy(error);
        return error;
      });
      left -= performance.now() - started;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    if (!body.destroyed) await chunks.return?.();
  }
}

function withTimer<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  // The iterator's own rejection after the destroy is expected; it must not surface as unhandled. Attached first:
  // a budget already spent destroys the body at once (an unhandled rejection in a loaded test run before).
  promise.catch(() => undefined);
  if (ms <= 0) return Promise.reject(onTimeout());
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
