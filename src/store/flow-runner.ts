// A SequenceRunner over parsed flows: what processors and inbound endpoints use to run a sequence by name.
import type { MessageContext } from '../context/index.js';
import type { Connector } from '../invoke/types.js';
import type { Logger } from '../logger.js';
import { runFlow, type Flow, type MessageStoreSink, type RunResult } from '../mediation/index.js';
import type { SequenceRunner } from './processor-types.js';

export function flowSequenceRunner(flow: Flow, connector: Connector, options: { messageStores?: MessageStoreSink; logger?: Logger } = {}): SequenceRunner {
  return {
    has: (name) => flow.sequences.has(name),
    run: (name: string, ctx: MessageContext): Promise<RunResult> => runFlow(flow, { connector, sequence: name, context: ctx, ...options }),
  };
}
