// Which range of a partitioned read parses. Parsing is the client's bottleneck once pages stream in from many ranges
// at once (JSON.parse of a 2,000-record incident page costs ~16 ms), and a range can ask for its next page only when
// its current page is parsed to its last record (the keyset cursor). Parsed in turn, chunk by chunk, all the pages
// of a round finish together at its end, and every range then waits a whole instance latency with the CPU idle.
// Oldest page first instead: the page whose response came first is parsed to its end while the others wait (their
// bytes wait in the socket), so its range asks for its next page at once and that latency overlaps with parsing the
// others. Work-conserving: a page whose next bytes take longer than LEND_AFTER_MS lends the turn to the next oldest
// page meanwhile, and takes it back at that page's next chunk.

/** The holder's next bytes usually come within a millisecond (the socket is read on the next turn of the event loop). */
export const LEND_AFTER_MS = 3;

export class ParseTurns {
  private issued = 0;
  /** The ticket of the page parsing now; undefined when none is. */
  private holder: number | undefined;
  private readonly waiting: Array<{ ticket: number; go: () => void }> = [];
  /** Since when the holder has been waiting for bytes (others waiting meanwhile); undefined when it is not. */
  private idleSince: number | undefined;
  /** One timer for all the holder's waits, not one per chunk. */
  private timer: NodeJS.Timeout | undefined;

  /** A page's place in the order: pages whose responses arrived earlier parse first. */
  ticket(): number {
    return this.issued++;
  }

  /**
   * Resolves when the page holding `ticket` may parse the chunk it has in hand: at once when it holds the turn and
   * no older page waits, or when nobody parses. A holder that an older page waits for hands the turn over first.
   */
  take(ticket: number): Promise<void> {
    if (this.holder === ticket) {
      this.idleSince = undefined;
      if (!this.waiting.some((w) => w.ticket < ticket)) return Promise.resolve();
      this.give();
    }
    if (this.holder === undefined) {
      this.holder = ticket;
      return Promise.resolve();
    }
    return new Promise<void>((go) => this.waiting.push({ ticket, go }));
  }

  /** True when the page holding `ticket` parses now. */
  holds(ticket: number): boolean {
    return this.holder === ticket;
  }

  /** The holder waits for its next bytes from the network: past LEND_AFTER_MS, the next oldest page parses. */
  idle(ticket: number): void {
    if (this.holder !== ticket || this.waiting.length === 0) return;
    this.idleSince = performance.now();
    this.timer ??= setTimeout(this.lendIfStillIdle, LEND_AFTER_MS);
  }

  /** The page is done with its turn (its body ended, or the read stopped). */
  release(ticket: number): void {
    if (this.holder === ticket) this.give();
  }

  private readonly lendIfStillIdle = (): void => {
    this.timer = undefined;
    if (this.idleSince === undefined) return;
    const idle = performance.now() - this.idleSince;
    if (idle >= LEND_AFTER_MS) this.give();
    else this.timer = setTimeout(this.lendIfStillIdle, LEND_AFTER_MS - idle);
  };

  /** The oldest waiting page goes on. */
  private give(): void {
    this.holder = undefined;
    this.idleSince = undefined;
    if (this.waiting.length === 0) return;
    let oldest = 0;
    for (let i = 1; i < this.waiting.length; i++) if (this.waiting[i]!.ticket < this.waiting[oldest]!.ticket) oldest = i;
    const [next] = this.waiting.splice(oldest, 1);
    this.holder = next!.ticket;
    next!.go();
  }
}
