// A bounded read-ahead over a stream of record batches (one page's, or one key range's). It pulls from the source in
// the background until `limit` records wait in its queue, then stops pulling: the source's HTTP body is not read,
// so undici pauses the socket and the server's bytes wait in the kernel, not in our heap. Used where batches must be
// handed out in an order other than arrival (offset pages in page order, key ranges merged in key order): a source
// that is not being handed out yet reads ahead at most `limit` records (plus the batch that crossed it), instead of
// a whole page. A failure is kept until the consumer reaches it (no unhandled rejection meanwhile).
import type { JsonRecord } from './types.js';

/** A limit of one record: the source is pulled for one batch, then waits until that batch is taken. */
export const ONE_BATCH_AHEAD = 1;

export class ReadAhead {
  private readonly queue: JsonRecord[][] = [];
  private buffered = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private stopped = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(
    private readonly source: AsyncIterator<JsonRecord[]>,
    private readonly limit: number,
  ) {
    void this.pump();
  }

  /** The next batch, in the source's order; done when the source ended. Throws the source's failure. */
  async next(): Promise<IteratorResult<JsonRecord[], undefined>> {
    while (this.queue.length === 0) {
      if (this.failure) throw this.failure.error;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
    const batch = this.queue.shift()!;
    this.buffered -= batch.length;
    if (this.buffered < this.limit) this.wakeUp('producer');
    return { done: false, value: batch };
  }

  /** The consumer is done with this source: stop pulling and let the source run its cleanup. */
  close(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.wakeUp('producer');
  }

  private wakeUp(who: 'consumer' | 'producer'): void {
    const resolve = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    resolve?.();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        while (this.buffered >= this.limit && !this.stopped) await new Promise<void>((resolve) => (this.wakeProducer = resolve));
        if (this.stopped) break;
        const next = await this.source.next();
        if (next.done) break;
        if (this.stopped) break;
        this.queue.push(next.value);
        this.buffered += next.value.length;
        this.wakeUp('consumer');
      }
      if (this.stopped) await this.source.return?.();
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.wakeUp('consumer');
    }
  }
}
