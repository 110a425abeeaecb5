import type { FcAccount } from '../../common/stripe-account';
import { accountLifecycle } from '../../common/stripe-account';
import type { Queryable } from '../pool';


/**
 * Stores what Stripe said about an account (no PII: ids, labels, status, refresh hashes). Stripe does not order its
 * deliveries, so nothing here goes back in time:
 * - each feature's refresh hash is kept or replaced by Stripe's own order (fc_merge_refresh_state: last_attempted_at,
 *   then completed after pending), whatever the arrival order;
 * - the rest of the row follows the newest observation (`seenAt`, when Stripe said it); two observations in the same
 *   second (events carry whole seconds) resolve to the more restrictive status; `disconnected` is final;
 * - on disconnection the stored balance stops being current, as Stripe then reports `balance: null`.
 */
export async function upsertAccountSnapshot(db: Queryable, account: FcAccount, seenAt: Date): Promise<void> {
  await db.query(
    `INSERT INTO fc_accounts (id, customer_id, institution_name, display_name, last4, category, subcategory, status,
        permissions, subscriptions, refresh_state, stripe_seen_at, disconnected_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12, CASE WHEN $8 = 'disconnected' THEN $12::timestamptz END)
     ON CONFLICT (id) DO UPDATE SET
        refresh_state = fc_merge_refresh_state(fc_accounts.refresh_state, EXCLUDED.refresh_state),
        (customer_id, institution_name, display_name, last4, category, subcategory, status, permissions, subscriptions,
         stripe_seen_at) = (
          SELECT CASE WHEN newer THEN EXCLUDED.customer_id ELSE fc_accounts.customer_id END,
                 CASE WHEN newer THEN EXCLUDED.institution_name ELSE fc_accounts.institution_name END,
                 CASE WHEN newer THEN EXCLUDED.display_name ELSE fc_accounts.display_name END,
                 CASE WHEN newer THEN EXCLUDED.last4 ELSE fc_accounts.last4 END,
                 CASE WHEN newer THEN EXCLUDED.category ELSE fc_accounts.category END,
                 CASE WHEN newer THEN EXCLUDED.subcategory ELSE fc_accounts.subcategory END,
                 CASE WHEN fc_accounts.status = 'disconnected' THEN 'disconnected'
                      WHEN newer THEN EXCLUDED.status ELSE fc_accounts.status END,
                 CASE WHEN newer THEN EXCLUDED.permissions ELSE fc_accounts.permissions END,
                 CASE WHEN newer THEN EXCLUDED.subscriptions ELSE fc_accounts.subscriptions END,
                 GREATEST(fc_accounts.stripe_seen_at, EXCLUDED.stripe_seen_at)
            FROM (SELECT date_trunc('second', fc_accounts.stripe_seen_at) < date_trunc('second', EXCLUDED.stripe_seen_at)
                      OR (date_trunc('second', fc_accounts.stripe_seen_at) = date_trunc('second', EXCLUDED.stripe_seen_at)
                          AND fc_status_rank(EXCLUDED.status) >= fc_status_rank(fc_accounts.status)) AS newer) AS observation),
        disconnected_at = COALESCE(fc_accounts.disconnected_at, EXCLUDED.disconnected_at),
        balance_as_of = CASE WHEN EXCLUDED.status = 'disconnected' THEN NULL ELSE fc_accounts.balance_as_of END,
        updated_at = now()`,
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
