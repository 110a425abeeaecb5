import type Stripe from 'stripe';
import type { Queryable } from '../pool';
import { toTimestamp } from '../pool';

type Owner = Stripe.FinancialConnections.AccountOwner;

/** Upserts one page of an ownership snapshot's owners (keyed by fcaown_ id). */
export async function upsertOwners(db: Queryable, accountId: string, owners: Owner[]): Promise<void> {
  if (owners.length === 0) return;
  await db.query(
    `INSERT INTO fc_owners (id, account_id, ownership_id, name, email, phone, raw_address, refreshed_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone,
        raw_address = EXCLUDED.raw_address, refreshed_at = EXCLUDED.refreshed_at, stored_at = now()`,
    [
      owners.map((o) => o.id),
      owners.map(() => accountId),
      owners.map((o) => o.ownership),
      owners.map((o) => o.name),
      owners.map((o) => o.email),
      owners.map((o) => o.phone),
      owners.map((o) => o.raw_address),
      owners.map((o) => toTimestamp(o.refreshed_at)),
    ],
  );
}

/**
 * Points the account at a fully stored ownership snapshot, only when the refresh that produced it (Stripe's
 * `last_attempted_at`) is not older than the one the current pointer came from: a late event of an older refresh
 * never rolls ownership back. `ownership_refreshed_at` is that refresh's time, not the time of storing.
 * Returns whether the pointer moved.
 */
export async function setCurrentOwnership(db: Queryable, accountId: string, ownershipId: string | null, refreshAttemptedAt: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE fc_accounts SET ownership_id = $2, ownership_refreshed_at = $3, ownership_refresh_attempted_at = $3, updated_at = now()
      WHERE id = $1 AND (ownership_refresh_attempted_at IS NULL OR ownership_refresh_attempted_at <= $3)`,
    [accountId, ownershipId, toTimestamp(refreshAttemptedAt)],
  );
  return (rowCount ?? 0) > 0;
}
