// Which range of a partitioned read parses. Parsing is the client's bottleneck once pages stream in from many ranges
// at once (JSON.parse of a 2,000-record incident page costs ~16 ms), and a range can ask for its next page only when
// its current page is parsed to its last record (the keyset cursor). Parsed in turn, chunk by chunk, all the pages
// of a round finish together at its end, and every range then waits a whole instance latency with the CPU idle.
// Oldest page first instead: the page whose response came first is parsed to its end while the others wait (their
// bytes wait in the socket), so its range asks for its next page at once and that latency overlaps with parsing the
// others. Work-conserving: a page waiting for its next bytes from the network lets the next oldest page parse
// meanwhile, and takes its turn back at that page's next chunk.
export class ParseTurns {
  private issued = 0;
  /** The ticket of the page parsing now; undefined when none is. */
  private holder: number | undefined;
  private readonly waiting: Array<{ ticket: number; go: () => void }> = [];

  /** A page's place in the order: pages whose responses arrived earlier parse first. */
  ticket(): number {
    return this.issued++;
  }

  /** Resolves when the page holding `ticket` may parse (at once when nobody parses). */
  take(ticket: number): Promise<void> {
    if (this.holder === undefined) {
      this.holder = ticket;
      return Promise.resolve();
    }
    return new Promise<void>((go) => this.waiting.push({ ticket, go }));
  }

  /** True when some page waits for the turn. */
  othersWaiting(): boolean {
    return this.waiting.length > 0;
  }

  /** True when a page older than `ticket` is waiting for the turn (the holder then hands it over). */
  olderWaiting(ticket: number): boolean {
    return this.waiting.some((w) => w.ticket < ticket);
  }

  /** The holder stops parsing (its page ended, or it waits for the network): the oldest waiting page goes on. */
  give(): void {
    this.holder = undefined;
    if (this.waiting.length === 0) return;
    let oldest = 0;
    for (let i = 1; i < this.waiting.length; i++) if (this.waiting[i]!.ticket < this.waiting[oldest]!.ticket) oldest = i;
    const [next] = this.waiting.splice(oldest, 1);
    this.holder = next!.ticket;
    next!.go();
  }
}
