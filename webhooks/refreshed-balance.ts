import type pg from 'pg';
import type { FcAccount } from '../common/stripe-account';
import { settledByEvent, storeRefreshedBalance } from '../db/queries/refreshed-balance';

/**
 * Stores the balance a refreshed_balance event carries as the event arrives, before the receiver answers: the
 * event's account holds the balance of the refresh it announces, so the data is committed without waiting for the
 * refresh workflow's next tasks. Settled under the event's name, with the same guards as every store (an older
 * refresh's late event stores nothing); the workflow the event is signalled to stores it again under the same
 * name, which re-applies it and reports it, and also covers a receiver that failed after the signal.
 */
export async function storeEventBalance(pool: pg.Pool, eventId: string, account: FcAccount): Promise<void> {
  const refresh = account.balance_refresh;
  if (refresh?.status !== 'succeeded') return;
  await storeRefreshedBalance(pool, { accountId: account.id, balance: account.balance ?? null, attemptedAt: refresh.last_attempted_at, settledBy: settledByEvent(eventId) });
}
