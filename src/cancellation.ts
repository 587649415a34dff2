// A cheap abort source: an EventEmitter with `aborted` and `reason`, which undici accepts as a request's signal.
// Creating an AbortSignal (and listening on one) costs tens of microseconds in node 20, more than the rest of a small
// call's client work, and a served request used three of them. The runtime's own cancellation (a served request,
// one operation run) uses this; a real AbortSignal is made only for code that asks for one (`signal`).
import { EventEmitter } from 'node:events';

export class Cancellation extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;
  private materialized: AbortSignal | undefined;

  constructor() {
    super();
    // One listener per call in flight (a flow may run several at once): no leak warning for that.
    this.setMaxListeners(0);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }

  /** The same cancellation as an AbortSignal (made on first use). */
  get signal(): AbortSignal {
    if (!this.materialized) {
      const controller = new AbortController();
      if (this.aborted) controller.abort(this.reason);
      else this.once('abort', () => controller.abort(this.reason));
      this.materialized = controller.signal;
    }
    return this.materialized;
  }

  /** Aborts this one when `source` fires; returns what stops following it. */
  follow(source: AbortSignal | Cancellation): () => void {
    if (source.aborted) {
      this.abort(source.reason);
      return noop;
    }
    const forward = (): void => this.abort(source.reason);
    if (source instanceof Cancellation) {
      // `on`, not `once`: a Cancellation emits 'abort' at most once, and a once-wrapper costs more to add and remove.
      source.on('abort', forward);
      return () => void source.off('abort', forward);
    }
    source.addEventListener('abort', forward, { once: true });
    return () => source.removeEventListener('abort', forward);
  }
}

function noop(): void {}
