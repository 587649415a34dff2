// A page body that trickles (a byte now and then, never idle long enough for the body timeout) must still end
// within the operation's deadline, as a single-page call does. Only the time spent waiting for the network counts:
// while the consumer works on records already handed out, the clock stops, so a slow consumer is never cut off.
// One timer per body, not one per chunk (a 6 MB page comes in ~100 chunks): it fires when the budget would be spent
// had the body waited all along, and then checks what was really spent waiting.
import type { BodyChunks } from './read-ahead-body.js';

export async function* chunksWithinDeadline(body: BodyChunks, budgetMs: number, timeout: () => Error): AsyncGenerator<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  /** Time spent waiting for chunks before the current wait. */
  let spent = 0;
  /** When the current wait began; undefined while the consumer has the chunk. */
  let waitingSince: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const expire = () => body.destroy(timeout());
  const check = () => {
    timer = undefined;
    // Not waiting now: the timer is set again when the next wait begins.
    if (waitingSince === undefined) return;
    const left = budgetMs - spent - (performance.now() - waitingSince);
    if (left <= 0) expire();
    else timer = setTimeout(check, left);
  };
  try {
    for (;;) {
      if (spent >= budgetMs) {
        const error = timeout();
        body.destroy(error);
        throw error;
      }
      waitingSince = performance.now();
      timer ??= setTimeout(check, budgetMs - spent);
      // After expire() the body's error makes this reject.
      const next = await chunks.next();
      spent += performance.now() - waitingSince;
      waitingSince = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    if (!body.destroyed) await chunks.return?.();
  }
}
