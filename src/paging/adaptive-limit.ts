// How many page requests a partitioned read keeps in flight when it is told to find out itself (partitions=auto).
// An instance runs a few requests per user at once and queues or refuses the rest; how many is not announced, so it
// is discovered, the way TCP finds a path's capacity: start small, add one request each time a page comes back about
// as fast as the fastest page so far (the instance still has room), cut by a quarter when pages come back much slower
// (requests are queueing there), halve on a 429 that names no time (a full queue: too many at once). A 429 with
// Retry-After (or X-RateLimit-Reset) means too many per time window, not too many at once: every range pauses until
// that time and the limit stays, since cutting it would only slow the read after the window reopens. One cut per
// round: requests started before a cut cannot cause another one.

/** Requests in flight at the start. */
export const AUTO_INITIAL = 2;
/** A page this much slower than the fastest one still counts as "latency holds" (lets the limit grow). */
const HOLDS = 1.5;
/** A page this much slower than the fastest one means requests are queueing on the server (cut the limit). */
const QUEUEING = 2.5;
/** Cut on queueing (multiplicative decrease); a 429 without a Retry-After (a full queue) halves. */
const QUEUE_CUT = 0.75;
const THROTTLE_CUT = 0.5;

/** What a read shows of its limit (progress.concurrency). */
export interface ConcurrencyProgress {
  /** Requests allowed in flight now. */
  limit: number;
  /** Highest limit reached. */
  peakLimit: number;
  /** Most requests actually in flight at once. */
  peakInFlight: number;
  /** Times the limit was cut: pages came back much slower (queueing), or a 429 without a Retry-After (a full queue). */
  backoffs: { queueing: number; throttled: number };
  /** 429 answers the transport retried (of this read's requests: pages, their resumptions, the counts ending a range). */
  throttled: number;
  /** 429s with a Retry-After: every range waited until then, the limit was kept. */
  pauses: number;
}

/** One request's permit: when it started and in which round. */
export interface Permit {
  readonly round: number;
  readonly startedAt: number;
  /** The limit was fully used when it started: only then does a fast answer prove there is room for more. */
  readonly full: boolean;
  /** The transport retried it (its time says nothing about the server's speed). */
  retried: boolean;
}

export class AdaptiveLimit {
  readonly progress: ConcurrencyProgress;
  private inFlight = 0;
  private round = 0;
  /** Fastest page seen, ms (for pages holding about a full page of records). */
  private fastest: number | undefined;
  private pausedUntil = 0;
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly max: number,
    initial = AUTO_INITIAL,
    private readonly now: () => number = () => performance.now(),
  ) {
    const limit = Math.min(initial, max);
    this.progress = { limit, peakLimit: limit, peakInFlight: 0, backoffs: { queueing: 0, throttled: 0 }, throttled: 0, pauses: 0 };
  }

  /** Waits for a free slot (and for a Retry-After pause to end). */
  async acquire(): Promise<Permit> {
    while (this.inFlight >= this.progress.limit || this.now() < this.pausedUntil) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        this.wakeAfterPause();
      });
    }
    this.inFlight++;
    this.progress.peakInFlight = Math.max(this.progress.peakInFlight, this.inFlight);
    return { round: this.round, startedAt: this.now(), full: this.inFlight >= this.progress.limit, retried: false };
  }

  /**
   * The request is done. `pageMs`: how long its page took, from the request to the last byte (the time the read
   * waited for its consumer left out), when it carried a full page: short pages cost less and would make every full
   * page look slow, so they are not compared (undefined).
   */
  release(permit: Permit, pageMs: number | undefined): void {
    this.inFlight--;
    if (pageMs !== undefined && !permit.retried) this.learn(permit, pageMs);
    this.wake();
  }

  /** The transport is about to retry one of our requests. */
  retrying(permit: Permit, status: number | undefined, retryAfterMs: number | undefined, delayMs: number): void {
    permit.retried = true;
    if (status !== 429) return;
    this.progress.throttled++;
    // Every request waits out the server's pause, not only the refused one.
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + (retryAfterMs ?? delayMs));
    if (retryAfterMs !== undefined) {
      // A rate limit: the window, not the number at once, was exceeded. What ran at once still runs once it reopens.
      this.progress.pauses++;
      return;
    }
    this.cut(permit, THROTTLE_CUT, 'throttled');
  }

  private learn(permit: Permit, ms: number): void {
    if (this.fastest === undefined || ms < this.fastest) this.fastest = ms;
    if (ms > this.fastest * QUEUEING) this.cut(permit, QUEUE_CUT, 'queueing');
    else if (ms <= this.fastest * HOLDS && permit.full && permit.round === this.round && this.progress.limit < this.max) {
      this.progress.limit++;
      this.progress.peakLimit = Math.max(this.progress.peakLimit, this.progress.limit);
    }
  }

  private cut(permit: Permit, factor: number, reason: 'queueing' | 'throttled'): void {
    // Requests started before the last cut saw the old limit: one cut per round.
    if (permit.round !== this.round) return;
    this.round++;
    this.progress.backoffs[reason]++;
    this.progress.limit = Math.max(1, Math.floor(this.progress.limit * factor));
  }

  private wake(): void {
    const ready = this.waiting.splice(0, this.waiting.length);
    for (const resolve of ready) resolve();
  }

  private wakeAfterPause(): void {
    const wait = this.pausedUntil - this.now();
    if (wait <= 0 || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, Math.ceil(wait));
  }
}
