import type pg from 'pg';
import type Stripe from 'stripe';

/** What every activity is built from: the only door for I/O, so tests hand in real clients. */
export interface ActivityDeps {
  stripe: Stripe;
  pool: pg.Pool;
  /**
   * How many `transacted_at` ranges a first sync (no stored cursor) lists side by side, every request still paced by
   * the Stripe client's request budget; 1 (the default here) lists the account sequentially. The worker sets it from
   * `FC_FIRST_SYNC_RANGES`.
   */
  firstSyncRanges?: number;
}
