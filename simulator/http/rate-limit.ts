import type { RATE_LIMIT_REASONS, RateLimitInput, RateLimitView } from '../control-types';

// Stripe's rate limiter (docs.stripe.com/rate-limits), enforced when enabled: per account, live 100 and
// test 25 requests per second, and 25 per second per endpoint; past a limit Stripe answers
// 429 `rate_limit` with `Stripe-Rate-Limited-Reason: global-rate | endpoint-rate`. Live and test keys
// are counted apart, as the modes are. Windows slide: no one-second span ever lets more requests
// through than the limit, which is at least as strict as Stripe's own limiter.

export type RateLimitReason = (typeof RATE_LIMIT_REASONS)[number];

export const STRIPE_RATE_LIMITS: RateLimitView = { enabled: false, testPerSecond: 25, livePerSecond: 100, endpointPerSecond: 25 };
const WINDOW_MS = 1_000;

export class RateLimiter {
  private config: RateLimitView = { ...STRIPE_RATE_LIMITS };
  /** Times (ms) of the requests let through in the last second, per limiter key. */
  private readonly windows = new Map<string, number[]>();

  set(input: RateLimitInput): RateLimitView {
    this.config = { ...STRIPE_RATE_LIMITS, ...input };
    this.windows.clear();
    return this.get();
  }

  get(): RateLimitView {
    return { ...this.config };
  }

  /** null: let the request through (and count it); otherwise why it is refused. */
  admit(mode: 'test' | 'live', routeKey: string, nowMs = Date.now()): RateLimitReason | null {
    if (!this.config.enabled) return null;
    const global = this.window(`${mode}`, nowMs);
    if (global.length >= (mode === 'live' ? this.config.livePerSecond : this.config.testPerSecond)) return 'global-rate';
    const endpoint = this.window(`${mode} ${routeKey}`, nowMs);
    if (this.config.endpointPerSecond > 0 && endpoint.length >= this.config.endpointPerSecond) return 'endpoint-rate';
    global.push(nowMs);
    endpoint.push(nowMs);
    return null;
  }

  private window(key: string, nowMs: number): number[] {
    let times = this.windows.get(key);
    if (!times) this.windows.set(key, (times = []));
    while (times.length > 0 && (times[0] ?? 0) <= nowMs - WINDOW_MS) times.shift();
    return times;
  }

  reset(): void {
    this.windows.clear();
  }
}
