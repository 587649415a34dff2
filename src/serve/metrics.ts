// Prometheus metrics of one server (its own registry, so two servers in a process never mix): requests per
// API/resource/status, flow durations, ServiceNow calls per operation/status, retries and in-flight flows.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MediationObserver } from '../mediation/observer.js';

export class ServeMetrics {
  readonly registry = new Registry();
  // Requests and calls are tallied in maps keyed by one string and added to their counters when the registry is read:
  // prom-client's inc() hashes and validates the label object on every call, a few microseconds a served request
  // paid twice.
  private readonly requestTally = new Map<string, { labels: { api: string; resource: string; method: string; status: string }; n: number }>();
  private readonly callTally = new Map<string, { labels: { operation: string; status: string }; n: number }>();
  readonly requests: Counter<'api' | 'resource' | 'method' | 'status'> = new Counter({
    name: 'snconnect_http_requests_total',
    help: 'Requests answered, by API (or proxy), resource, method and status.',
    labelNames: ['api', 'resource', 'method', 'status'] as const,
    registers: [this.registry],
    collect: (): void => flush(this.requestTally, this.requests),
  });
  readonly duration = new Histogram({
    name: 'snconnect_flow_duration_seconds',
    help: 'Time from the request to the end of its flow.',
    labelNames: ['api', 'resource'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly calls: Counter<'operation' | 'status'> = new Counter({
    name: 'snconnect_servicenow_calls_total',
    help: 'ServiceNow operations called by flows, by operation and HTTP status (or error code).',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
    collect: (): void => flush(this.callTally, this.calls),
  });
  readonly inFlight = new Gauge({ name: 'snconnect_flows_in_flight', help: 'Flows running now (requests and tasks).', registers: [this.registry] });
  readonly taskRuns = new Counter({ name: 'snconnect_task_runs_total', help: 'Scheduled task runs, by task and outcome (completed, fault, skipped when the previous run was still going).', labelNames: ['task', 'outcome'] as const, registers: [this.registry] });

  constructor(retries: () => number) {
    new Gauge({
      name: 'snconnect_servicenow_retries_total',
      help: 'Requests to ServiceNow repeated after a retryable failure (429, 503, network), since the server started.',
      registers: [this.registry],
      collect() {
        this.set(retries());
      },
    });
  }

  private readonly durationByRoute = new Map<string, { observe(seconds: number): void }>();

  /** One flow's duration (snconnect_flow_duration_seconds); the labelled child is looked up once per route. */
  observeDuration(api: string, resource: string, seconds: number): void {
    const key = `${api}\u0000${resource}`;
    let child = this.durationByRoute.get(key);
    if (!child) this.durationByRoute.set(key, (child = this.duration.labels({ api, resource })));
    child.observe(seconds);
  }

  /** One request answered (snconnect_http_requests_total). */
  countRequest(api: string, resource: string, method: string, status: string): void {
    tally(this.requestTally, `${api}\u0000${resource}\u0000${method}\u0000${status}`, () => ({ api, resource, method, status }));
  }

  /** Counts every connector call a flow makes (the engine's trace hook; cheap: one map lookup per call). */
  readonly observer: MediationObserver = {
    leave: ({ mediator, context, error }) => {
      if (mediator.kind !== 'connector' || mediator.operation === 'init') return;
      const status = error ? (error.status !== undefined ? String(error.status) : error.code) : String(context.getProperty('HTTP_SC', 'axis2') ?? '');
      tally(this.callTally, `${mediator.operation}\u0000${status}`, () => ({ operation: mediator.operation, status }));
    },
  };
}

/** One more under `key`; the label object is made only for a key seen the first time. */
function tally<L extends string>(counts: Map<string, { labels: Record<L, string>; n: number }>, key: string, labels: () => Record<L, string>): void {
  const entry = counts.get(key);
  if (entry) entry.n++;
  else counts.set(key, { labels: labels(), n: 1 });
}

/** Adds the tallied counts to the counter (when the registry is read) and starts the tallies again from zero. */
function flush<L extends string>(tally: Map<string, { labels: Record<L, string>; n: number }>, counter: Counter<L>): void {
  for (const entry of tally.values()) {
    if (entry.n === 0) continue;
    counter.inc(entry.labels, entry.n);
    entry.n = 0;
  }
}
