// Admin endpoint under /__sim/ (a path ServiceNow never uses), so a simulator in another process can be driven.
import { BehaviourError } from '../behaviour.js';
import { errorReply, jsonReply, type Reply } from '../http/reply.js';
import type { RequestContext } from '../http/request-context.js';
import type { BehaviourChange, GateSnapshot, RequestLogEntry, SimulatorBehaviour, SimulatorStats } from '../types.js';

export interface AdminControls {
  behaviour(): SimulatorBehaviour;
  configure(change: BehaviourChange): void;
  stats(): SimulatorStats;
  resetStats(): void;
  concurrency(): GateSnapshot;
  requests(): ReadonlyArray<RequestLogEntry>;
  clearRequests(): void;
  generate(table: string, count: number): void;
  count(table: string): number;
  expireTokens(): void;
}

export function handleAdmin(controls: AdminControls, ctx: RequestContext, action: string): Reply {
  try {
    switch (`${ctx.method} ${action}`) {
      case 'GET config':
        return jsonReply(200, { result: controls.behaviour() });
      case 'POST config':
      case 'PATCH config': {
        let change: unknown;
        try {
          change = ctx.body.trim() === '' ? {} : JSON.parse(ctx.body);
        } catch {
          return errorReply(400, 'Exception while reading request', 'The payload is not valid JSON.');
        }
        controls.configure(change as BehaviourChange);
        return jsonReply(200, { result: controls.behaviour() });
      }
      case 'GET stats':
        return jsonReply(200, { result: controls.stats() });
      case 'POST reset-stats':
        controls.resetStats();
        return jsonReply(200, { result: controls.stats() });
      case 'GET concurrency':
        return jsonReply(200, { result: controls.concurrency() });
      case 'GET requests':
        return jsonReply(200, { result: controls.requests() });
      case 'POST clear-requests':
        controls.clearRequests();
        return jsonReply(200, { result: [] });
      case 'POST expire-tokens':
        controls.expireTokens();
        return jsonReply(200, { result: 'expired' });
      case 'POST generate': {
        const table = ctx.query.get('table') ?? '';
        const count = Number(ctx.query.get('count'));
        if (!Number.isInteger(count) || count < 0) return errorReply(400, 'Invalid count', 'count must be a whole number >= 0');
        const started = Date.now();
        controls.generate(table, count);
        return jsonReply(200, { result: { table, generated: count, rows: controls.count(table), ms: Date.now() - started } });
      }
      case 'GET health':
        return jsonReply(200, { result: 'ok' });
      default:
        return errorReply(404, 'No such admin action', `Known: GET/POST config, GET stats, POST reset-stats, GET concurrency, GET requests, POST clear-requests, POST expire-tokens, POST generate?table=&count=, GET health`);
    }
  } catch (err) {
    if (err instanceof BehaviourError || err instanceof RangeError) return errorReply(400, 'Invalid admin request', err.message);
    if (err instanceof Error && err.message.startsWith('Invalid table')) return errorReply(400, err.message, null);
    throw err;
  }
}
