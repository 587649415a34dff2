// The message that flows through a sequence: properties (with Synapse scopes), variables,
// the payload and the transport headers. Connector operations read their parameters from it
// and write their response back into it for the next mediator.
import type { Cancellation } from '../cancellation.js';
import { assertSafeKey } from './safe-path.js';

/** JSON value as parsed from a body; a payload that is not JSON is kept as a string. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Synapse property scopes. `default` is the message scope (`$ctx:`), `transport` maps to headers (`$trp:`). */
export type PropertyScope = 'default' | 'transport' | 'axis2' | 'operation';

export class MessageContext {
  private body: JsonValue | undefined;
  /**
   * Reads the payload that `receivedText` holds, until someone needs it as a value: a connector answer that the flow
   * only forwards is never parsed. Cleared by the first read and by any assignment.
   */
  private pendingBody: (() => JsonValue | undefined) | undefined;
  /**
   * The text the payload was parsed from, while it is certainly unchanged: set with setPayloadAsReceived, dropped by
   * any assignment and by any read of `payload` (whoever reads it may change the object in place). Lets an answer
   * forward a connector's response bytes instead of serializing them again.
   */
  private receivedText: string | undefined;
  /** Media type of the payload, e.g. `application/json`. */
  contentType = 'application/json';
  /** WSO2 MI variables (`${vars.x}`), e.g. what `responseVariable` stores. */
  readonly variables = new Map<string, unknown>();
  /** Parameters of the template being run (`$func:x`, `get-property('func', 'x')`); undefined outside templates. */
  templateParams: ReadonlyMap<string, unknown> | undefined;
  /**
   * Fires when the flow's work should stop (a served request whose client went away): outstanding calls abort. The
   * runtime listens on it; `signal` gives it as an AbortSignal (made on first use, as that is costly).
   */
  cancellation: Cancellation | undefined;
  private explicitSignal: AbortSignal | undefined;
  private readonly scopes: Record<Exclude<PropertyScope, 'transport'>, Map<string, unknown>> = {
    default: new Map(),
    axis2: new Map(),
    operation: new Map(),
  };
  /** Transport headers, keyed case-insensitively (stored lower-case). */
  private readonly headers = new Map<string, string>();

  /** The current message body: parsed JSON, or raw text when the body is not JSON. */
  get payload(): JsonValue | undefined {
    this.receivedText = undefined;
    if (this.pendingBody !== undefined) {
      // Kept until it succeeds: a body that does not parse fails every read the same way, not once.
      this.body = this.pendingBody();
      this.pendingBody = undefined;
    }
    return this.body;
  }

  set payload(value: JsonValue | undefined) {
    this.receivedText = undefined;
    this.pendingBody = undefined;
    this.body = value;
  }

  /**
   * Sets the payload of a response just received. `value` is the parsed payload, or a function giving it: then it
   * runs on the first read of `payload`. With `text`, the text it was parsed from is kept while nobody reads the
   * payload, so an answer that only forwards it sends these bytes and never parses them.
   */
  setPayloadAsReceived(value: JsonValue | (() => JsonValue | undefined), text?: string): void {
    if (typeof value === 'function') {
      this.body = undefined;
      this.pendingBody = value;
    } else {
      this.body = value;
      this.pendingBody = undefined;
    }
    this.receivedText = text;
  }

  /** The text the payload was parsed from, when nothing can have changed the payload since; else undefined. */
  payloadAsReceived(): string | undefined {
    return this.receivedText;
  }

  /** An AbortSignal that fires when the flow's work should stop: the one set here, else the cancellation's. */
  get signal(): AbortSignal | undefined {
    return this.explicitSignal ?? this.cancellation?.signal;
  }

  set signal(value: AbortSignal | undefined) {
    this.explicitSignal = value;
  }

  /** What the runtime's own calls listen on: the cancellation, else the signal set (undefined: nothing can abort). */
  abortSource(): AbortSignal | Cancellation | undefined {
    return this.explicitSignal ?? this.cancellation;
  }

  constructor(init: { payload?: JsonValue; properties?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
    this.payload = init.payload;
    // Names from outside (the CLI's -p name=value, an embedding application): refused rather than dropped when unsafe.
    for (const [k, v] of Object.entries(init.properties ?? {})) {
      assertSafeKey(k, 'message context', 'property name');
      this.setProperty(k, v);
    }
    for (const [k, v] of Object.entries(init.headers ?? {})) {
      assertSafeKey(k, 'message context', 'header name');
      this.setHeader(k, v);
    }
  }

  getProperty(name: string, scope: PropertyScope = 'default'): unknown {
    if (scope === 'transport') return this.getHeader(name);
    return this.scopes[scope].get(name);
  }

  setProperty(name: string, value: unknown, scope: PropertyScope = 'default'): void {
    if (scope === 'transport') {
      this.setHeader(name, value === undefined || value === null ? '' : String(value));
      return;
    }
    this.scopes[scope].set(name, value);
  }

  removeProperty(name: string, scope: PropertyScope = 'default'): void {
    if (scope === 'transport') this.headers.delete(name.toLowerCase());
    else this.scopes[scope].delete(name);
  }

  /** Properties of one scope, for `log level="full"` and debugging. */
  properties(scope: Exclude<PropertyScope, 'transport'> = 'default'): ReadonlyMap<string, unknown> {
    return this.scopes[scope];
  }

  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }

  setHeader(name: string, value: string): void {
    this.headers.set(name.toLowerCase(), value);
  }

  removeHeader(name: string): void {
    this.headers.delete(name.toLowerCase());
  }

  transportHeaders(): ReadonlyMap<string, string> {
    return this.headers;
  }

  /**
   * A copy that shares nothing mutable with this context except property values, carrying `payload`
   * instead of this one's (for `foreach` iterations, which must not pay for copying the whole payload).
   */
  withPayload(payload: JsonValue | undefined): MessageContext {
    const copy = new MessageContext();
    copy.payload = payload;
    copy.contentType = this.contentType;
    copy.templateParams = this.templateParams;
    copy.cancellation = this.cancellation;
    copy.explicitSignal = this.explicitSignal;
    for (const [k, v] of this.variables) copy.variables.set(k, v);
    for (const scope of ['default', 'axis2', 'operation'] as const) {
      for (const [k, v] of this.scopes[scope]) copy.scopes[scope].set(k, v);
    }
    for (const [k, v] of this.headers) copy.headers.set(k, v);
    return copy;
  }

  /** A deep copy, for `foreach` iterations and `clone`-style mediators that must not leak changes. */
  clone(): MessageContext {
    const copy = new MessageContext();
    copy.payload = this.payload === undefined ? undefined : (structuredClone(this.payload) as JsonValue);
    copy.contentType = this.contentType;
    for (const [k, v] of this.variables) copy.variables.set(k, v);
    copy.templateParams = this.templateParams;
    copy.cancellation = this.cancellation;
    copy.explicitSignal = this.explicitSignal;
    for (const scope of ['default', 'axis2', 'operation'] as const) {
      for (const [k, v] of this.scopes[scope]) copy.scopes[scope].set(k, v);
    }
    for (const [k, v] of this.headers) copy.headers.set(k, v);
    return copy;
  }
}
