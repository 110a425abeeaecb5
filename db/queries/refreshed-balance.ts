import type pg from 'pg';
import type { FcAccount } from '../../common/stripe-account';
import { inTransaction, type Queryable } from '../pool';
import { storeBalance } from './balances';
import { settleFeatureRefresh, type SettleVerdict } from './feature-state';

export interface StoredRefreshedBalance {
  verdict: SettleVerdict;
  currencies: number;
  asOf: number | null;
}

/**
 * The settler of a balance stored from a refreshed_balance event's account: the receiver (as the event arrives)
 * and the refresh workflow that event was signalled to settle it under the same name, so the workflow's store
 * re-applies what the receiver already committed instead of counting it as another run's duplicate.
 */
export const settledByEvent = (eventId: string): string => `event/${eventId}`;

/**
 * The account a refreshed_balance event carried, and whether the balance refresh it announces is settled under the
 * event's name (the receiver stored it as the event arrived, and nothing newer has been settled since).
 */
export async function getEventBalance(db: Queryable, eventId: string): Promise<{ account: FcAccount | null; settledByEvent: boolean } | null> {
  const { rows } = await db.query<{ account: FcAccount | null; settled: boolean }>(
    `SELECT e.payload->'data'->'object' AS account,
            EXISTS (SELECT 1 FROM fc_feature_state s WHERE s.account_id = e.account_id AND s.feature = 'balance' AND s.settled_by = $2) AS settled
       FROM stripe_events e WHERE e.id = $1`,
    [eventId, settledByEvent(eventId)],
  );
  const row = rows[0];
  if (!row) return null;
  const account = row.account?.object === 'financial_connections.account' ? row.account : null;
  return { account, settledByEvent: account !== null && row.settled };
}

/**
 * Settles a succeeded balance refresh as the refresh that produced it (`attemptedAt`, Stripe's last_attempted_at)
 * and, only when that is the account's newest settled balance refresh, stores its balance, in one transaction: a
 * late event of an older refresh stores nothing. The balance's as_of tells two refreshes of the same second apart.
 */
export function storeRefreshedBalance(
  pool: pg.Pool,
  refresh: { accountId: string; balance: FcAccount['balance']; attemptedAt: number; settledBy: string },
): Promise<StoredRefreshedBalance> {
  const { accountId, balance, attemptedAt, settledBy } = refresh;
  const asOf = balance?.as_of ?? null;
  return inTransaction(pool, async (client) => {
    const verdict = await settleFeatureRefresh(client, {
      accountId, feature: 'balance', lastAttemptedAt: attemptedAt, refreshId: String(asOf ?? ''), status: 'succeeded', error: null, settledBy,
    });
    if (verdict !== 'applied') return { verdict, currencies: 0, asOf };
    return { verdict, ...(await storeBalance(client, accountId, balance, attemptedAt)) };
  });
}

/**
 * Stores the balance a refreshed_balance event carries, settled under the event's name: what the receiver does as
 * the event arrives, before it answers (so the data is committed without waiting for the refresh workflow's next
 * tasks), and what the workflow's store does when the receiver's write failed after its signal. Null when the
 * event announces no succeeded balance refresh.
 */
export async function storeEventBalance(pool: pg.Pool, eventId: string, account: FcAccount): Promise<StoredRefreshedBalance | null> {
  const refresh = account.balance_refresh;
  if (refresh?.status !== 'succeeded') return null;
  return storeRefreshedBalance(pool, { accountId: account.id, balance: account.balance ?? null, attemptedAt: refresh.last_attempted_at, settledBy: settledByEvent(eventId) });
}
