// An optional trace hook on the mediation engine: told when each mediator starts and ends and when a fault
// sequence takes over. The explorer's flow view is built on it; the engine never depends on what it does.
import type { ConnectorError } from '../errors.js';
import type { MessageContext } from '../context/index.js';
import type { Mediator } from './model.js';

export interface MediatorStep {
  mediator: Mediator;
  /** Name of the sequence the mediator belongs to. */
  sequence: string;
  context: MessageContext;
}

export interface MediatorEnd extends MediatorStep {
  /** The failure the mediator ended with (it goes on to the fault handling). */
  error?: ConnectorError;
  /** The flow was ended inside it: <drop/>, <respond/>, or a fault already handled further in. */
  stopped?: 'drop' | 'respond' | 'fault';
}

export interface FaultTaken {
  /** The sequence that failed and the fault sequence (onError) that now runs. */
  sequence: string;
  faultSequence: string;
  error: ConnectorError;
  context: MessageContext;
}

/** Every method is optional and called synchronously; nested mediators (filter branches, foreach bodies) are reported too. */
export interface MediationObserver {
  enter?(step: MediatorStep): void;
  leave?(step: MediatorEnd): void;
  fault?(fault: FaultTaken): void;
}
