import type { Queryable } from '../pool';

/**
 * Reserves the start time of one request of `budgetKey`, `intervalMs` after the previous one at the earliest, and
 * returns how many milliseconds from now that start is. Starts are spread evenly (no bursts, which a busy
 * receiver would see bunched up). One statement: the row lock of the upsert serialises concurrent reservations
 * from every process, and Postgres' clock is the one clock they all share.
 */
export async function reserveStripeRequestStart(db: Queryable, budgetKey: string, intervalMs: number): Promise<number> {
  const { rows } = await db.query<{ wait_ms: number }>(
    `INSERT INTO fc_stripe_request_budget AS b (budget_key, next_slot)
       VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
     ON CONFLICT (budget_key) DO UPDATE
       SET next_slot = GREATEST(clock_timestamp(), b.next_slot) + make_interval(secs => $2::float8 / 1000)
     RETURNING GREATEST(0, EXTRACT(EPOCH FROM next_slot - clock_timestamp()) * 1000 - $2::float8)::float8 AS wait_ms`,
    [budgetKey, intervalMs],
  );
  return rows[0]?.wait_ms ?? 0;
}
