// The concurrency limit of one instance node: a semaphore with a bounded queue, like ServiceNow's API_INT
// semaphore set (a few threads per node, a queue of 50 behind them; a request that finds the queue full is
// answered 429 at once, see docs/simulator.md). Off by default (maxConcurrent 0 = no limit).

export interface GateLimits {
  /** Requests processed at the same time; 0 = unlimited. */
  readonly maxConcurrent: number;
  /** Requests allowed to wait for a free slot; one more is refused. */
  readonly maxQueued: number;
}

/** What the admin endpoint shows (`GET /__sim/concurrency`, and `concurrency` in the stats). */
export interface GateSnapshot {
  maxConcurrent: number;
  maxQueued: number;
  /** Being processed now. */
  active: number;
  /** Waiting for a slot now. */
  queued: number;
  /** Highest `active` / `queued` seen since the last reset. */
  peakActive: number;
  peakQueued: number;
  /** Requests that had to wait before being processed. */
  waited: number;
  /** Requests refused with 429 because the queue was full. */
  rejected: number;
}

export class RequestGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private peakActive = 0;
  private peakQueued = 0;
  private waited = 0;
  private rejected = 0;

  constructor(private limits: () => GateLimits) {}

  /**
   * true: admitted now; false: refused (queue full); a promise: admitted when a slot frees up.
   * Synchronous when there is room, so an unlimited gate costs nothing on the hot path.
   */
  enter(): boolean | Promise<true> {
    const { maxConcurrent, maxQueued } = this.limits();
    if (maxConcurrent <= 0 || this.active < maxConcurrent) {
      this.admit();
      return true;
    }
    if (this.waiting.length >= maxQueued) {
      this.rejected++;
      return false;
    }
    this.waited++;
    return new Promise<true>((resolve) => {
      this.waiting.push(() => resolve(true));
      this.peakQueued = Math.max(this.peakQueued, this.waiting.length);
    });
  }

  /** Frees the slot of an admitted request and lets waiting ones in (several, if the limit was raised). */
  leave(): void {
    this.active--;
    this.drain();
  }

  /** Called after the limits change: a raised limit admits waiting requests at once. */
  drain(): void {
    const { maxConcurrent } = this.limits();
    while (this.waiting.length > 0 && (maxConcurrent <= 0 || this.active < maxConcurrent)) {
      this.admit();
      this.waiting.shift()!();
    }
  }

  snapshot(): GateSnapshot {
    const { maxConcurrent, maxQueued } = this.limits();
    return { maxConcurrent, maxQueued, active: this.active, queued: this.waiting.length, peakActive: this.peakActive, peakQueued: this.peakQueued, waited: this.waited, rejected: this.rejected };
  }

  resetCounters(): void {
    this.peakActive = this.active;
    this.peakQueued = this.waiting.length;
    this.waited = 0;
    this.rejected = 0;
  }

  private admit(): void {
    this.active++;
    if (this.active > this.peakActive) this.peakActive = this.active;
  }
}
