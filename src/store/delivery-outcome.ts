// Whether a flow that ran a stored message delivered it. A fault is a failure; so is a flow that ended with an
// HTTP status of 400 or more in HTTP_SC (ServiceNow's error statuses leave the flow going, as in WSO2).
import type { RunResult } from '../mediation/index.js';

export interface DeliveryOutcome {
  ok: boolean;
  status?: number;
  /** Why it failed, for logs and the dead-letter copy; never a payload. */
  reason?: string;
}

export function deliveryOutcome(result: RunResult): DeliveryOutcome {
  const ctx = result.context;
  const status = statusOf(ctx.getProperty('HTTP_SC', 'axis2')) ?? statusOf(ctx.getProperty('HTTP_SC')) ?? result.error?.status;
  if (result.outcome === 'fault') {
    return { ok: false, status, reason: result.error ? `${result.error.code}: ${result.error.message}` : 'the flow ended in a fault' };
  }
  if (status !== undefined && status >= 400) return { ok: false, status, reason: `the flow ended with HTTP status ${status}` };
  return { ok: true, status };
}

function statusOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}
