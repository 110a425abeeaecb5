import { ApplicationFailure } from '@temporalio/activity';
import { getEventAccountObject } from '../db/queries/event-accounts';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import { settledByEvent, storeRefreshedBalance } from '../db/queries/refreshed-balance';
import type { RefreshHash } from '../workflows/refresh-definitions';
import type { ActivityDeps } from './deps';
import { settlingRun, type StoreVerdict } from './settlement';
import { toActivityFailure } from './stripe-errors';

export interface StoreBalanceResult {
  verdict: StoreVerdict;
  currencies: number;
  asOf: number | null;
  source: 'event' | 'stripe';
}

/**
 * Stores the balance a succeeded refresh produced: from the refreshed_balance event's account when the
 * receiver stored it ("retrieve the account from the body of the event or through the API"), else from Stripe.
 * The receiver already stored an event's balance as it arrived (webhooks/refreshed-balance.ts); this store, under
 * the same settler, makes sure of it (the receiver's write may have failed) and reports what is stored.
 */
export function createStoreBalance({ stripe, pool }: ActivityDeps) {
  return async function storeBalance(input: { accountId: string; eventId: string | null; refresh?: RefreshHash }): Promise<StoreBalanceResult> {
    let account = input.eventId ? await getEventAccountObject(pool, input.eventId) : null;
    const source = input.eventId && account?.balance_refresh?.status === 'succeeded' ? 'event' : 'stripe';
    if (source === 'stripe') {
      try {
        account = await stripe.financialConnections.accounts.retrieve(input.accountId);
      } catch (err) {
        throw toActivityFailure(err, { accountId: input.accountId, operation: 'retrieve balance' });
      }
      await upsertAccountSnapshot(pool, account, new Date());
    }
    // The data's own refresh when it says so; a retrieved account whose newer refresh is already pending still
    // holds the balance of the refresh being settled.
    const produced = account?.balance_refresh?.status === 'succeeded' ? account.balance_refresh.last_attempted_at : input.refresh?.lastAttemptedAt;
    if (produced === undefined) throw ApplicationFailure.nonRetryable(`no succeeded balance refresh to store for ${input.accountId}`, 'NoSucceededRefresh');
    const settledBy = source === 'event' && input.eventId ? settledByEvent(input.eventId) : settlingRun();
    const stored = await storeRefreshedBalance(pool, { accountId: input.accountId, balance: account?.balance ?? null, attemptedAt: produced, settledBy });
    return { ...stored, source };
  };
}
