import type { FcAccount } from '../../common/stripe-account';
import { accountLifecycle } from '../../common/stripe-account';
import type { Queryable } from '../pool';


/**
 * Stores what Stripe said about an account (no PII: ids, labels, status, refresh hashes).
 * `seenAt` is when Stripe said it; an older snapshot never overwrites a newer one.
 */
export async function upsertAccountSnapshot(db: Queryable, account: FcAccount, seenAt: Date): Promise<void> {
  await db.query(
    `INSERT INTO fc_accounts (id, customer_id, institution_name, display_name, last4, category, subcategory, status,
        permissions, subscriptions, refresh_state, stripe_seen_at, disconnected_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12, CASE WHEN $8 = 'disconnected' THEN $12::timestamptz END)
     ON CONFLICT (id) DO UPDATE SET
        customer_id = EXCLUDED.customer_id, institution_name = EXCLUDED.institution_name,
        display_name = EXCLUDED.display_name, last4 = EXCLUDED.last4, category = EXCLUDED.category,
        subcategory = EXCLUDED.subcategory, status = EXCLUDED.status, permissions = EXCLUDED.permissions,
        subscriptions = EXCLUDED.subscriptions, refresh_state = EXCLUDED.refresh_state,
        stripe_seen_at = EXCLUDED.stripe_seen_at,
        disconnected_at = COALESCE(fc_accounts.disconnected_at, EXCLUDED.disconnected_at),
        updated_at = now()
     -- Events carry whole seconds, API reads milliseconds: an event in the same second as a read still applies.
     WHERE date_trunc('second', fc_accounts.stripe_seen_at) <= EXCLUDED.stripe_seen_at`,
    [
      account.id,
      typeof account.account_holder?.customer === 'string' ? account.account_holder.customer : null,
      account.institution_name,
      account.display_name,
      account.last4,
      account.category,
      account.subcategory,
      accountLifecycle(account),
      account.permissions ?? [],
      account.subscriptions ?? [],
      JSON.stringify({
        balance: account.balance_refresh,
        ownership: account.ownership_refresh,
        transactions: account.transaction_refresh,
      }),
      seenAt,
    ],
  );
}

export async function getStoredAccountSnapshot(db: Queryable, accountId: string): Promise<{ snapshot: FcAccount; seenAt: Date } | null> {
  const { rows } = await db.query<{
    id: string; status: string; permissions: string[]; subscriptions: string[];
    refresh_state: { balance: FcAccount['balance_refresh']; ownership: FcAccount['ownership_refresh']; transactions: FcAccount['transaction_refresh'] };
    stripe_seen_at: Date;
  }>(`SELECT id, status, permissions, subscriptions, refresh_state, stripe_seen_at FROM fc_accounts WHERE id = $1`, [accountId]);
  const row = rows[0];
  if (!row) return null;
  // Only the fields the refresh decision reads are rebuilt; the rest of the account is not stored.
  const snapshot = {
    id: row.id,
    status: row.status,
    permissions: row.permissions,
    subscriptions: row.subscriptions,
    balance_refresh: row.refresh_state.balance ?? null,
    ownership_refresh: row.refresh_state.ownership ?? null,
    transaction_refresh: row.refresh_state.transactions ?? null,
  } as FcAccount;
  return { snapshot, seenAt: row.stripe_seen_at };
}
