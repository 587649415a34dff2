// A result whose payload is parsed on first read, for the mediation engine: a flow that answers its client with a
// connector's response as received (a served <respond/> right after the call) never reads it, and parsing a full
// record costs more than the rest of the call's own work. Library callers keep plain results (payload a data
// property, so spreading a result copies it).
import type { Readable } from 'node:stream';
import type { JsonValue } from '../context/index.js';
import type { InvokeResult } from './types.js';

/**
 * The invoke option (a symbol, so not part of the documented options) that asks for a DeferredPayloadResult when the
 * body allows it: set by the mediation engine, whose results go only into the message context.
 */
export const PARSE_ON_READ: unique symbol = Symbol('snconnect.parseOnRead');

/** `payload` is `parse()`'s value, computed on the first read and kept; a parse that throws throws at every read. */
export class DeferredPayloadResult implements InvokeResult {
  totalCount?: number;
  nextLink?: string;
  body?: Readable;
  #parse: (() => JsonValue) | undefined;
  #value: JsonValue | undefined;

  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    /** The body text the payload is parsed from (what a flow may forward as received). */
    readonly receivedText: string,
    parse: () => JsonValue,
  ) {
    this.#parse = parse;
  }

  get payload(): JsonValue | undefined {
    if (this.#parse !== undefined) {
      this.#value = this.#parse();
      this.#parse = undefined;
    }
    return this.#value;
  }

  set payload(value: JsonValue | undefined) {
    this.#parse = undefined;
    this.#value = value;
  }

  toJSON(): InvokeResult {
    return { status: this.status, payload: this.payload, headers: this.headers, totalCount: this.totalCount, nextLink: this.nextLink };
  }
}
