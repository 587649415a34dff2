// The message store contract every backend fulfils: store a copy, claim it, acknowledge it once its flow has finished.
import type { JsonValue } from '../context/index.js';

/** A stored copy of a message: what a flow needs to go on with it later, in this process or another. */
export interface StoredMessage {
  /** Unique id, given when stored. */
  id: string;
  payload: JsonValue | undefined;
  contentType: string;
  /** Message-scope properties (`$ctx:`) whose values survive JSON. */
  properties: Record<string, JsonValue>;
  /** axis2-scope properties (HTTP_SC, messageType, ...). */
  axis2: Record<string, JsonValue>;
  /** Transport headers, lower-case names. */
  headers: Record<string, string>;
  /** Milliseconds since the epoch when it was stored. */
  storedAt: number;
}

/** A claimed message. Until ack() or release() no other consumer gets it; if this process dies it comes back. */
export interface Delivery {
  readonly message: StoredMessage;
  /** 1 on the first delivery; more when the message was delivered before (a retry, or a consumer that died). */
  readonly deliveryCount: number;
  /** Removes the message: its flow has finished. */
  ack(): Promise<void>;
  /** Gives the message back to the store, visible again after `delayMs` (default at once). */
  release(delayMs?: number): Promise<void>;
}

export interface StoreStats {
  /** Messages waiting (not claimed). */
  depth: number;
  /** Messages claimed and not yet acknowledged (by any consumer, where the backend can tell). */
  inFlight: number;
}

export interface MessageStore {
  readonly name: string;
  /** The backend: memory, disk, rabbitmq, postgres, failover. */
  readonly kind: string;
  /** Resolves once the store has taken the message for good (written, fsynced, confirmed by the broker). */
  store(message: StoredMessage): Promise<void>;
  /** Claims the next message, or undefined when none is ready. */
  claim(): Promise<Delivery | undefined>;
  stats(): Promise<StoreStats>;
  /** Messages from the head without claiming them. */
  peek(limit: number): Promise<StoredMessage[]>;
  /** Removes every waiting message; returns how many. */
  purge(): Promise<number>;
  close(): Promise<void>;
}

/** A `<messageStore>` as written: name, class and parameters. */
export interface MessageStoreConfig {
  name: string;
  /** The class attribute; undefined means the in-memory store, as in WSO2. */
  className?: string;
  parameters: Record<string, string>;
  file?: string;
  line?: number;
}

/** Counters a store keeps for /metrics and `snconnect store list`. */
export interface StoreCounters {
  stored: number;
  delivered: number;
  retried: number;
  deadLettered: number;
  dropped: number;
}
