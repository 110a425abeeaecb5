import { getEventAccountObject } from '../db/queries/event-accounts';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import { storeBalance as storeBalanceRows } from '../db/queries/balances';
import type { ActivityDeps } from './deps';
import { toActivityFailure } from './stripe-errors';

export interface StoreBalanceResult {
  currencies: number;
  asOf: number | null;
  source: 'event' | 'stripe';
}

/**
 * Stores the balance a succeeded refresh produced: from the refreshed_balance event's account when the
 * receiver stored it ("retrieve the account from the body of the event or through the API"), else from Stripe.
 */
export function createStoreBalance({ stripe, pool }: ActivityDeps) {
  return async function storeBalance(input: { accountId: string; eventId: string | null }): Promise<StoreBalanceResult> {
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
    const stored = await storeBalanceRows(pool, input.accountId, account?.balance ?? null, new Date());
    return { ...stored, source };
  };
}
