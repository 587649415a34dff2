// What `snconnect store` does for an operator: list stores with their depth, peek at messages, move messages
// from a dead-letter store back to where they came from, purge.
import { ConnectorError } from '../errors.js';
import { ATTEMPTS_PROPERTY, FAILURE_PROPERTY, ORIGIN_PROPERTY } from './forwarding-processor.js';
import type { StoreRegistry } from './registry.js';
import type { StoredMessage } from './types.js';

export interface StoreListing {
  name: string;
  kind: string;
  depth?: number;
  inFlight?: number;
  error?: string;
}

export async function listStores(registry: StoreRegistry): Promise<StoreListing[]> {
  return Promise.all(
    registry.names().map(async (name) => {
      try {
        const store = await registry.get(name);
        return { name, kind: store.kind, ...(await store.stats()) };
      } catch (err) {
        return { name, kind: '?', error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

export async function peekStore(registry: StoreRegistry, name: string, limit: number): Promise<StoredMessage[]> {
  return (await registry.get(name)).peek(limit);
}

/**
 * Moves up to `limit` messages from `from` to `to` (or, without `to`, to the store each came from, as the
 * forwarding processor recorded when it dead-lettered it). Each is stored in its target before it is removed
 * here, so a failure midway leaves a copy in both, never in neither. Returns how many moved where.
 */
export async function requeueMessages(registry: StoreRegistry, from: string, options: { to?: string; limit: number }): Promise<Record<string, number>> {
  if (options.to !== undefined) registry.config(options.to);
  const source = await registry.get(from);
  const moved: Record<string, number> = {};
  for (let i = 0; i < options.limit; i++) {
    const delivery = await source.claim();
    if (!delivery) break;
    const origin = delivery.message.properties[ORIGIN_PROPERTY];
    const target = options.to ?? (typeof origin === 'string' ? origin : undefined);
    if (target === undefined || !registry.names().includes(target)) {
      await delivery.release();
      throw new ConnectorError({
        code: 'INVALID_PARAMETER',
        parameter: '--to',
        message: `store requeue: message ${delivery.message.id} in '${from}' does not say which store it came from${target ? ` ('${target}' is not defined)` : ''}; name one with --to`,
      });
    }
    const copy = structuredClone(delivery.message);
    // The failure is history now; the attempts stay, so a create tried before is looked up before it is sent again.
    delete copy.properties[ORIGIN_PROPERTY];
    delete copy.properties[FAILURE_PROPERTY];
    if (copy.properties[ATTEMPTS_PROPERTY] === undefined) copy.properties[ATTEMPTS_PROPERTY] = delivery.deliveryCount;
    await (await registry.get(target)).store(copy);
    await delivery.ack();
    moved[target] = (moved[target] ?? 0) + 1;
  }
  return moved;
}
