// Per-store figures in the server's Prometheus registry: depth and in-flight (asked of the store when /metrics
// is scraped), and what the processors did (stored, delivered, retried, dead-lettered, dropped).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StoreService } from './service.js';
import type { StoreCounters } from './types.js';

const COUNTERS: { key: keyof StoreCounters; name: string; help: string }[] = [
  { key: 'stored', name: 'snconnect_store_stored_total', help: 'Messages put into the store by this process (<store>, dead-lettering, failover).' },
  { key: 'delivered', name: 'snconnect_store_delivered_total', help: 'Messages whose flow finished and which were acknowledged, by this process.' },
  { key: 'retried', name: 'snconnect_store_retried_total', help: 'Failed deliveries that will be tried again (client.retry.interval).' },
  { key: 'deadLettered', name: 'snconnect_store_dead_lettered_total', help: 'Messages moved to the dead-letter store (message.processor.failMessagesStore).' },
  { key: 'dropped', name: 'snconnect_store_dropped_total', help: 'Messages dropped after their attempts (max.delivery.drop) or a non-retry status.' },
];

export function registerStoreMetrics(registry: Registry, service: StoreService): void {
  if (registry.getSingleMetric('snconnect_store_depth')) registry.removeSingleMetric('snconnect_store_depth');
  if (registry.getSingleMetric('snconnect_store_in_flight')) registry.removeSingleMetric('snconnect_store_in_flight');
  // One report per scrape, shared by both gauges.
  let pending: ReturnType<StoreService['report']> | undefined;
  const report = () => (pending ??= service.report().finally(() => setImmediate(() => (pending = undefined))));
  new Gauge({
    name: 'snconnect_store_depth',
    help: 'Messages waiting in the store (RabbitMQ: ready messages; tables: unclaimed rows).',
    labelNames: ['store', 'kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await report()) if (r.stats) this.set({ store: r.name, kind: r.kind }, r.stats.depth);
    },
  });
  new Gauge({
    name: 'snconnect_store_in_flight',
    help: 'Messages claimed and not yet acknowledged (RabbitMQ: by this process; tables: by every process).',
    labelNames: ['store', 'kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await report()) if (r.stats) this.set({ store: r.name, kind: r.kind }, r.stats.inFlight);
    },
  });
  for (const c of COUNTERS) {
    if (registry.getSingleMetric(c.name)) registry.removeSingleMetric(c.name);
    new Counter({
      name: c.name,
      help: c.help,
      labelNames: ['store'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const name of service.registry.names()) this.inc({ store: name }, service.registry.counters(name)[c.key]);
      },
    });
  }
}
