// Where a message is in the flow, kept per message so that a split message can go on where its parent was (Synapse's
// continuation stack): the lists of mediators being run with the index of the next one, and the sequences around
// them (whose onError handles a fault). A message made by `<iterate>`/`<clone>` takes a copy of its parent's
// frames and, after its target, runs the rest of each list from the innermost out, inside the same fault handlers.
import type { ConnectorError } from '../errors.js';
import type { MessageContext } from '../context/index.js';
import type { SplitMark } from './eip.js';
import type { Mediator, SequenceDefinition } from './model.js';

export type Frame =
  | { kind: 'mediators'; mediators: readonly Mediator[]; next: number; sequence: string }
  | { kind: 'sequence'; seq: SequenceDefinition };

export interface MessageState {
  frames: Frame[];
  /** Split marks by iterate/clone id ('' for none): which aggregation a message belongs to. */
  splits: Map<string, SplitMark>;
  /** The message is in the out flow (an outSequence or `receive` sequence runs it). */
  outFlow: boolean;
  /** A non-blocking `<call>` (or connector call) ran since the target started: Synapse then goes on past the split. */
  called: boolean;
}

/** What the messages of one request share: the first answer, work still running, a fault no handler took. */
export class MessageFamily {
  reply: { ctx: MessageContext; fault?: ConnectorError } | undefined;
  readonly pending = new Set<Promise<void>>();
  /** The first unhandled fault of a split message (answered when nothing else answers). */
  fault: ConnectorError | undefined;

  /** Keeps `work` until it settles; runFlow waits for all of it before answering. */
  track(work: Promise<void>): void {
    const p = work.finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** A copy of the frames as they are now (positions frozen), for a message that will go on from here. */
export function snapshot(frames: readonly Frame[]): Frame[] {
  return frames.map((f) => (f.kind === 'mediators' ? { ...f } : f));
}
