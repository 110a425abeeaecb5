import { ApplicationFailure } from '@temporalio/activity';
import { getEventAccountObject } from '../db/queries/event-accounts';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import { storeBalance as storeBalanceRows } from '../db/queries/balances';
import { settleFeatureRefresh } from '../db/queries/feature-state';
import { inTransaction } from '../db/pool';
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
 * The balance is settled as the refresh that produced it (its `last_attempted_at`), so a late event of an older
 * refresh stores nothing.
 */
export function createStoreBalance({ stripe, pool }: ActivityDeps) {
  return async function storeBalance(input: { accountId: string; eventId: string | null; refresh?: RefreshHash }): Promise<StoreBalanceResult> {
    let account = input.eventId ? await getEventAccountObject(pool, input.eventId) : null;
    const source = account && account.balance_refresh?.status === 'succeeded' ? 'event' : 'stripe';
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
    const balance = account?.balance ?? null;
    return inTransaction(pool, async (client) => {
      const verdict = await settleFeatureRefresh(client, {
        // The balance's as_of tells two refreshes of the same second apart.
        accountId: input.accountId, feature: 'balance', lastAttemptedAt: produced, refreshId: String(balance?.as_of ?? ''), status: 'succeeded', error: null, settledBy: settlingRun(),
      });
      if (verdict !== 'applied') return { verdict, currencies: 0, asOf: balance?.as_of ?? null, source };
      const stored = await storeBalanceRows(client, input.accountId, balance, produced);
      return { verdict, ...stored, source };
    });
  };
}
