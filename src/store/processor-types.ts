// What processors need from the layers around them: a way to run a named sequence (the mediation engine,
// handed in by whoever loaded the artifacts) and, for endpoint targets, a way to send a message to an endpoint.
import type { MessageContext } from '../context/index.js';
import type { RunResult } from '../mediation/index.js';

export interface SequenceRunner {
  has(sequence: string): boolean;
  /** Runs the sequence over the context; faults come back in the result, never as a rejection. */
  run(sequence: string, ctx: MessageContext): Promise<RunResult>;
}

export interface EndpointSender {
  has(endpoint: string): boolean;
  /** Sends the message's payload; resolves with the HTTP status (the answer becomes the context's payload). */
  send(endpoint: string, ctx: MessageContext): Promise<number>;
}

/** A `<messageProcessor>` as written. */
export interface MessageProcessorConfig {
  name: string;
  className: string;
  messageStore: string;
  /** targetEndpoint="..." (or the target.endpoint parameter). */
  targetEndpoint?: string;
  parameters: Record<string, string>;
  file?: string;
  line?: number;
}

export interface Processor {
  readonly name: string;
  readonly kind: 'forwarding' | 'sampling';
  start(): void;
  /** Stops claiming; waits for running flows (at most graceMs), then gives held messages back to the store. */
  stop(graceMs?: number): Promise<void>;
  readonly active: boolean;
}
