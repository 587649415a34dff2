// The loaded form of a set of Synapse artifacts: the shared flow (every named sequence, template and local entry,
// plus the synthetic sequences of API resources and proxies), the HTTP-facing artifacts, tasks, and whatever
// registered kinds contributed (message stores, processors, inbound endpoints: see index.ts).
import type { MessageContext } from '../context/index.js';
import type { Connector } from '../invoke/types.js';
import type { Logger } from '../logger.js';
import type { Flow, FlowIssue, FlowBuilder, RunResult, XmlElement } from '../mediation/index.js';

export interface Located {
  file: string;
  line: number;
}

/** One `<resource>` of an `<api>`. Sequence names point into ArtifactSet.flow.sequences. */
export interface ResourceArtifact extends Located {
  /** Upper-case methods; empty means every method (as in Synapse when methods= is left out). */
  methods: string[];
  /** `uri-template` ("/x/{id}?q={q}") or `url-mapping` ("/x/*", "*.json", "/exact"). */
  uriTemplate?: string;
  urlMapping?: string;
  inSequence: string;
  outSequence?: string;
  faultSequence?: string;
}

export interface ApiArtifact extends Located {
  name: string;
  /** "/servicenow" (with the version appended when version-type="context"/"url"). */
  context: string;
  resources: ResourceArtifact[];
}

export interface ProxyArtifact extends Located {
  name: string;
  inSequence: string;
  outSequence?: string;
  faultSequence?: string;
}

export interface TaskArtifact extends Located {
  name: string;
  /** Seconds between runs (interval=), or a Quartz cron expression (cron=), or once. */
  trigger: { interval: number; count: number } | { cron: string } | { once: true };
  /** Where the message goes: a sequence (injectTo="sequence", sequenceName) or a proxy's inSequence. */
  sequence: string;
  /** The `message` property: JSON when it parses, else text (XML kept as text). */
  message?: { payload: string; contentType: string };
}

export interface EndpointArtifact extends Located {
  name: string;
  /** The address (uri / uri-template) when one is given. */
  address?: string;
}

/** What the server hands to background services: run a sequence of the loaded artifacts, log, stop. */
export interface ServiceHost {
  readonly artifacts: ArtifactSet;
  readonly connector: Connector;
  readonly logger: Logger;
  /** Runs a named sequence on `ctx` with the server's shared connections (faults end in the RunResult). */
  runSequence(name: string, ctx: MessageContext): Promise<RunResult>;
  /** The server's Prometheus registry, for services that report figures on /metrics. */
  readonly metrics?: import('prom-client').Registry;
}

/** A background part of a server (task schedulers, message processors, inbound endpoints): started after the
 * listener, stopped (awaited) during shutdown before connections close. */
export interface BackgroundService {
  readonly name: string;
  start(host: ServiceHost): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface ArtifactSet {
  flow: Flow;
  apis: ApiArtifact[];
  proxies: ProxyArtifact[];
  tasks: TaskArtifact[];
  endpoints: Map<string, EndpointArtifact>;
  /** `<localEntry>` holding text or XML (not a connector init): key -> the text. */
  localValues: Map<string, string>;
  /** Started and stopped by the server; registered kinds add theirs here. */
  services: BackgroundService[];
  /** Parsed artifacts of registered kinds, by kind (e.g. 'messageStore'), for other kinds to find. */
  extensions: Map<string, unknown[]>;
  /** Every file read. */
  files: string[];
  /** Problems that did not stop loading (warnings; with --lenient also the errors). */
  warnings: FlowIssue[];
}

/** What a kind handler gets for one top-level element. */
export interface ArtifactBuildContext {
  readonly file: string;
  /** Builds sequences and mediators with this file's lines (issues are collected per file). */
  readonly builder: FlowBuilder;
  readonly set: ArtifactSet;
  error(at: { line: number }, message: string): void;
  warn(at: { line: number }, message: string): void;
  /** Adds a sequence built from `el`'s children under a synthetic name, returns the name (or a name reference). */
  sequenceFrom(el: XmlElement | undefined, name: string, onError?: string): string | undefined;
}

/** Handles one top-level element kind (e.g. 'api', 'messageStore'). */
export type ArtifactKindHandler = (el: XmlElement, ctx: ArtifactBuildContext) => void;
