import type pg from 'pg';
import type Stripe from 'stripe';

/** What every activity is built from: the only door for I/O, so tests hand in real clients. */
export interface ActivityDeps {
  stripe: Stripe;
  pool: pg.Pool;
}
