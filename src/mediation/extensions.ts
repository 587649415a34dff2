// Mediators contributed from outside the mediation folder (the message store's `<store>`, later others): a
// registry of element name -> builder. The builder runs at load time (report problems through `tools`, with
// the element's line), and returns what runs for each message. Registered builders win over "unknown mediator".
import type { ExprNode } from '../context/index.js';
import type { CustomMediator, Mediator, MessageStoreSink } from './model.js';
import type { XmlElement } from './xml.js';

export interface MediatorBuildTools {
  readonly file: string;
  /** An error stops the file from loading (unless --lenient); a warning is printed and the flow loads. */
  error(at: { line: number }, message: string): void;
  warn(at: { line: number }, message: string): void;
  /** Compiles an attribute expression (`$ctx:x`, `json-eval(...)`, `${...}`); undefined (and an error) when it is bad. */
  expression(el: XmlElement, text: string, what: string): ExprNode | undefined;
  /** Builds child elements as mediators (e.g. an inline sequence). */
  mediators(elements: XmlElement[]): Mediator[];
}

/** Returns the run function (and anything else it keeps in its closure), or undefined after reporting an error. */
export type MediatorFactory = (el: XmlElement, tools: MediatorBuildTools) => Pick<CustomMediator, 'run'> | undefined;

const factories = new Map<string, MediatorFactory>();

/** Registers `<element>` as a mediator. Registering a name twice replaces the first (tests, reloads). */
export function registerMediator(element: string, factory: MediatorFactory): void {
  factories.set(element, factory);
}

export function mediatorFactory(element: string): MediatorFactory | undefined {
  return factories.get(element);
}

let processMessageStores: MessageStoreSink | undefined;

/**
 * The message stores flows of this process write to when a run is not given its own (RunOptions.messageStores):
 * set by the store service of a server while it runs, cleared when it stops.
 */
export function setProcessMessageStores(sink: MessageStoreSink | undefined): void {
  processMessageStores = sink;
}

export function processMessageStoreSink(): MessageStoreSink | undefined {
  return processMessageStores;
}
