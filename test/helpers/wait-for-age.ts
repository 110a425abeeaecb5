import type pg from 'pg';
import { expect } from 'vitest';
import { createBalanceCheckActivities } from '../../activities/balance-check';
import { createOwnershipCheckActivities } from '../../activities/ownership-check';
import type { SimulatorControl } from '../../simulator/control-client';

// Waiting on the condition a test needs instead of sleeping a guessed time: the product's own freshness rule, or the
// simulator's clock against what is stored.

/**
 * Until the stored balance or ownership of the account is older than `maxAgeSeconds` by the rule the checks apply
 * (activities/balance-check.ts, activities/ownership-check.ts), so a check with that max age must refresh.
 */
export async function waitUntilStoredIsStale(pool: pg.Pool, accountId: string, feature: 'balance' | 'ownership', maxAgeSeconds: number): Promise<void> {
  const assess =
    feature === 'balance'
      ? async () => (await createBalanceCheckActivities({ pool }).assessStoredBalance({ accountId, maxAgeSeconds })).answersNow
      : async () => (await createOwnershipCheckActivities({ pool }).assessStoredOwnership({ accountId, maxAgeSeconds })).fresh;
  await expect.poll(assess, { timeout: 10_000 + maxAgeSeconds * 2_000, interval: 100 }).toBe(false);
}

/**
 * Until the simulator's clock has moved past the second of the account's last stored read (fc_accounts.stripe_seen_at):
 * an event Stripe creates from then on is newer than everything stored about the account, whole seconds and all.
 */
export async function waitPastLastRead(pool: pg.Pool, simulator: SimulatorControl, accountId: string): Promise<void> {
  const { rows } = await pool.query<{ seen: number }>('SELECT floor(extract(epoch FROM stripe_seen_at))::bigint AS seen FROM fc_accounts WHERE id = $1', [accountId]);
  const seen = Number(rows[0]?.seen ?? 0);
  await expect.poll(async () => (await simulator.getClock()).now > seen, { timeout: 10_000, interval: 50 }).toBe(true);
}
