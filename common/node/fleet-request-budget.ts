// Node-only: never imported by workflow code (eslint.config.js forbids it under workflows/).
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/pool';
import { reserveStripeRequestStart } from '../../db/queries/stripe-request-budget';
import { waitUntil, type RequestBudget } from './request-budget';

/**
 * Stripe counts requests as they arrive, after the network and both ends' event loops have delayed them by a
 * varying amount (up to ~150 ms measured on a loaded 2-core machine). Starts are spaced 1.2 s / limit apart, so
 * that jitter up to 200 ms cannot put more than `limit` arrivals into any one-second window at Stripe; the price
 * is ~17% of the nominal rate.
 */
export const SPACING_WINDOW_MS = 1200;
/**
 * A process that wakes this much after its start (a busy event loop) would send late, close to the next request:
 * it lets the start go and reserves another, so lateness from this side stays well within the spacing's margin.
 */
const LATE_WAKE_MS = 40;
const MAX_RESERVATIONS = 3;

/**
 * One request budget for every worker process of the fleet, kept in Postgres: each request reserves its start
 * time in the budget's row (db/queries/stripe-request-budget.ts) and waits for it. N workers together stay
 * under `requestsPerSecond`, where a per-process limit would let them send N times as many.
 */
export class FleetRequestBudget implements RequestBudget {
  private readonly intervalMs: number;

  constructor(
    private readonly db: Queryable,
    private readonly budgetKey: string,
    requestsPerSecond: number,
  ) {
    this.intervalMs = SPACING_WINDOW_MS / requestsPerSecond;
  }

  async take(): Promise<void> {
    for (let reservation = 1; ; reservation += 1) {
      const waitMs = await reserveStripeRequestStart(this.db, this.budgetKey, this.intervalMs);
      // Counted from the answer, not the question: a start can only come late, never early.
      const start = performance.now() + waitMs;
      await waitUntil(start);
      if (performance.now() - start <= LATE_WAKE_MS || reservation === MAX_RESERVATIONS) return;
    }
  }
}

/** Stripe's limit is per account: workers sharing a secret key share a budget. Only a hash of the key is stored. */
export function stripeBudgetKey(secretKey: string): string {
  return `stripe:${createHash('sha256').update(secretKey).digest('hex').slice(0, 16)}`;
}
