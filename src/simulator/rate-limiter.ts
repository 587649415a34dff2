// Per-user fixed-window rate limiting, answering like a ServiceNow rate limit rule.
import type { RateLimitBehaviour } from './types.js';

export interface RateDecision {
  readonly allowed: boolean;
  /** Headers every response under the rule carries. */
  readonly headers: Record<string, string>;
  /** Seconds until the window resets (for Retry-After). */
  readonly retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  check(rule: RateLimitBehaviour, user: string, now = Date.now()): RateDecision {
    let w = this.windows.get(user);
    if (!w || now >= w.start + rule.windowMs) {
      w = { start: now - ((now - (w?.start ?? now)) % rule.windowMs), count: 0 };
      this.windows.set(user, w);
    }
    w.count++;
    const resetAt = w.start + rule.windowMs;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(rule.limit),
      'X-RateLimit-Reset': String(Math.ceil(resetAt / 1000)),
      'X-RateLimit-Rule': rule.rule,
    };
    return { allowed: w.count <= rule.limit, headers, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)) };
  }

  reset(): void {
    this.windows.clear();
  }
}
