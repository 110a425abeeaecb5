import type { ApiFaults } from './control-types';
import { errors, type StripeApiError } from './errors';
import { createRng, deriveSeed, type Rng } from './state/random';

// API faults for the public /v1 endpoints (never the control API): extra latency and injected
// 429 rate_limit / 5xx api_error answers, exactly as Stripe shapes them, so retry and backoff paths can
// be exercised. Decisions come from a seeded stream: the same seed fails the same requests.

export interface FaultDecision {
  latencyMs: number;
  error: StripeApiError | null;
  /** 'after': run the request (its idempotent result is stored), then answer with `error`. */
  mode: 'before' | 'after';
}

export class ApiFaultInjector {
  private faults: ApiFaults = {};
  private remainingFailNext = 0;
  private rng: Rng;

  constructor(private readonly seed: number) {
    this.rng = createRng(deriveSeed(seed, 'api-faults'));
  }

  set(faults: ApiFaults): ApiFaults {
    this.faults = { ...faults };
    this.remainingFailNext = faults.failNext ?? 0;
    this.rng = createRng(deriveSeed(faults.seed ?? this.seed, 'api-faults'));
    return this.get();
  }

  get(): ApiFaults {
    return { ...this.faults, failNext: this.remainingFailNext };
  }

  clear(): void {
    this.set({});
  }

  decide(routeKey: string): FaultDecision {
    const f = this.faults;
    const matches = !f.routes || f.routes.some((r) => routeKey.includes(r));
    const decision: FaultDecision = { latencyMs: matches ? (f.latencyMs ?? 0) : 0, error: null, mode: f.mode ?? 'before' };
    if (!matches) return decision;
    let fail = false;
    if (this.remainingFailNext > 0) {
      this.remainingFailNext -= 1;
      fail = true;
    } else {
      fail = this.rng.chance(f.errorRate ?? 0);
    }
    if (fail) {
      const status = this.rng.pick(f.statuses ?? [429, 500]);
      decision.error = status === 429 ? errors.rateLimited() : errors.apiError(status);
    }
    return decision;
  }
}
