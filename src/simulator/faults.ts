// Seeded fault decisions: which fault (if any) one request gets, and the latency to add.
import { SeededRandom } from './rng.js';
import { FAULT_KINDS, type FaultKind, type SimulatorBehaviour } from './types.js';

export class FaultPlanner {
  private readonly random: SeededRandom;
  private pathPattern: { source: string; regex: RegExp } | undefined;

  constructor(seed: number) {
    // A separate stream from the data's, so faults do not change the ids of records created meanwhile.
    this.random = new SeededRandom(seed ^ 0x5eed_f417);
  }

  eligible(behaviour: SimulatorBehaviour, path: string): boolean {
    if (!this.pathPattern || this.pathPattern.source !== behaviour.faultPathPattern) {
      this.pathPattern = { source: behaviour.faultPathPattern, regex: new RegExp(behaviour.faultPathPattern) };
    }
    return this.pathPattern.regex.test(path);
  }

  /** Takes the next scripted fault if any, otherwise one uniform draw against the cumulative rates. */
  draw(behaviour: SimulatorBehaviour): FaultKind | undefined {
    if (behaviour.nextFaults.length > 0) {
      const next = behaviour.nextFaults.shift()!;
      return next === 'none' ? undefined : next;
    }
    let total = 0;
    for (const kind of FAULT_KINDS) total += behaviour.faults[kind] ?? 0;
    if (total <= 0) return undefined;
    const r = this.random.next();
    let acc = 0;
    for (const kind of FAULT_KINDS) {
      acc += behaviour.faults[kind] ?? 0;
      if (r < acc) return kind;
    }
    return undefined;
  }

  latencyMs(behaviour: SimulatorBehaviour): number {
    const { fixedMs, jitterMs } = behaviour.latency;
    if (fixedMs <= 0 && jitterMs <= 0) return 0;
    return fixedMs + (jitterMs > 0 ? this.random.next() * jitterMs : 0);
  }
}
