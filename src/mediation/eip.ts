// The state behind `<iterate>`/`<clone>` and `<aggregate>`, as Synapse keeps it: each split gives its new messages
// a mark (group, index, total; MESSAGE_SEQUENCE in Synapse), and an `<aggregate>` gathers the messages of one
// group until its complete condition holds (all of them, min, max, or the timeout), then builds one message from
// what each contributed. `correlateOn` aggregations are not tied to one split: every message whose expression gives
// a value joins the one open aggregation of that mediator (Synapse keys it by the expression), across requests.
import { ConnectorError } from '../errors.js';
import type { JsonValue, MessageContext } from '../context/index.js';
import type { AggregateMediator } from './model.js';
import type { Frame } from './frames.js';

/** One execution of an `<iterate>` / `<clone>`: its new messages and the aggregations gathering them. */
export class SplitGroup {
  /** Branches still running; when none is left, an aggregation that can no longer complete is given up. */
  open: number;
  readonly aggregations = new Map<AggregateMediator, Aggregation>();
  /** Aggregate mediators that already completed for this group: a late message is dropped (as in Synapse). */
  readonly completed = new Set<AggregateMediator>();

  constructor(
    readonly id: string | undefined,
    readonly total: number,
  ) {
    this.open = total;
  }
}

export interface SplitMark {
  group: SplitGroup;
  index: number;
}

export interface Gathered {
  ctx: MessageContext;
  /** Split index, for a stable order (Synapse gathers in arrival order; no order is promised either way). */
  order: number;
}

export class Aggregation {
  readonly messages: Gathered[] = [];
  completed = false;
  timer: NodeJS.Timeout | undefined;
  /** Settles when the aggregation completes or is given up (a pending piece of work of the request). */
  done: Promise<void>;
  finish!: () => void;
  /** Where the aggregated message goes on: the mediators after `<aggregate>` (taken at the first arrival). */
  frames: Frame[] = [];

  constructor(
    readonly mediator: AggregateMediator,
    readonly group: SplitGroup | undefined,
  ) {
    this.done = new Promise<void>((resolve) => (this.finish = resolve));
  }

  /** Synapse's Aggregate.isComplete, without the timeout (a timer completes it). */
  isComplete(): boolean {
    const n = this.messages.length;
    if (this.group && n >= this.group.total) return true;
    if (this.mediator.min > 0 && n >= this.mediator.min) return true;
    return this.mediator.max > 0 && n >= this.mediator.max;
  }

  /** The group-less (correlateOn) aggregations of the process, one open per mediator. */
  static readonly correlated = new WeakMap<AggregateMediator, Aggregation>();
}

/**
 * The aggregated payload: `root`: an array of what each message contributed (an absent value is null); `child`:
 * the contributions (JSON objects) merged into one object, clashing keys merged into arrays (Synapse's
 * MERGE_INTO_ARRAY); with `enclosingElementProperty`, wrapped in `{<element name>: result}`.
 */
export function aggregatedPayload(m: AggregateMediator, values: readonly unknown[], enclosing: unknown): JsonValue {
  let result: JsonValue;
  if (m.elementType === 'child') {
    const merged: { [key: string]: JsonValue } = {};
    for (const v of values) {
      if (v === undefined) continue;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: aggregate aggregateElementType="child": '${m.expressionText}' must give a JSON object in every message` });
      }
      mergeInto(merged, v as { [key: string]: JsonValue });
    }
    result = merged;
  } else result = values.map((v) => (v === undefined ? null : (v as JsonValue)));
  if (m.enclosingProperty === undefined) return result;
  const name = elementName(enclosing);
  if (name === undefined) {
    throw new ConnectorError({ code: 'SEQUENCE_ERROR', message: `${m.file}:${m.line}: aggregate enclosingElementProperty '${m.enclosingProperty}' must hold an XML element (e.g. <property name="${m.enclosingProperty}"><Info/></property>)` });
  }
  return { [name]: result };
}

function mergeInto(left: { [key: string]: JsonValue }, right: { [key: string]: JsonValue }): void {
  for (const [key, value] of Object.entries(right)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (!Object.hasOwn(left, key)) {
      left[key] = structuredClone(value);
      continue;
    }
    const current = left[key]!;
    if (Array.isArray(current) && Array.isArray(value)) current.push(...structuredClone(value));
    else if (isObject(current) && isObject(value)) mergeInto(current, value);
    else if (Array.isArray(current)) current.push(structuredClone(value));
    else left[key] = [current, structuredClone(value)];
  }
}

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The local name of the root element of an XML text (`<ns:Information xmlns:ns="..."/>` -> Information). */
function elementName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(value);
  return m?.[2];
}
