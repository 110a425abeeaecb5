import { ApplicationFailure } from '@temporalio/activity';
import type { FcAccount } from '../common/stripe-account';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import { balanceCounts } from '../db/queries/balances';
import { getEventBalance, storeEventBalance, storeRefreshedBalance } from '../db/queries/refreshed-balance';
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
 * The receiver stores an event's balance as it arrives (storeEventBalance): when it did, and nothing
 * newer was settled since, this only reports it (one read). Otherwise (the receiver's write failed after it
 * signalled, or no event) it stores it, an event's balance under the event's name as the receiver would.
 */
export function createStoreBalance({ stripe, pool }: ActivityDeps) {
  return async function storeBalance(input: { accountId: string; eventId: string | null; refresh?: RefreshHash }): Promise<StoreBalanceResult> {
    const event = input.eventId ? await getEventBalance(pool, input.eventId) : null;
    if (input.eventId && event?.account) {
      if (event.settledByEvent) return reported(event.account);
      const stored = await storeEventBalance(pool, input.eventId, event.account);
      if (stored) return { ...stored, source: 'event' };
    }
    let account: FcAccount;
    try {
      account = await stripe.financialConnections.accounts.retrieve(input.accountId);
    } catch (err) {
      throw toActivityFailure(err, { accountId: input.accountId, operation: 'retrieve balance' });
    }
    await upsertAccountSnapshot(pool, account, new Date());
    // The data's own refresh when it says so; a retrieved account whose newer refresh is already pending still
    // holds the balance of the refresh being settled.
    const produced = account.balance_refresh?.status === 'succeeded' ? account.balance_refresh.last_attempted_at : input.refresh?.lastAttemptedAt;
    if (produced === undefined) throw ApplicationFailure.nonRetryable(`no succeeded balance refresh to store for ${input.accountId}`, 'NoSucceededRefresh');
    const stored = await storeRefreshedBalance(pool, { accountId: input.accountId, balance: account.balance ?? null, attemptedAt: produced, settledBy: settlingRun() });
    return { ...stored, source: 'stripe' };
  };
}

/**
 * The refresh workflow's first look at an event's balance, as a local activity (Postgres only, no Stripe call, so no
 * trip through the Stripe task queue): the balance the receiver stored from the event, when it did and nothing newer
 * was settled since (one read). Null otherwise (the receiver's write has not committed yet, or failed): then
 * storeBalance stores it.
 */
export function createReportEventBalance({ pool }: Pick<ActivityDeps, 'pool'>) {
  return async function reportEventBalance(input: { eventId: string }): Promise<StoreBalanceResult | null> {
    const event = await getEventBalance(pool, input.eventId);
    return event?.account && event.settledByEvent ? reported(event.account) : null;
  };
}

const reported = (account: FcAccount): StoreBalanceResult => ({ verdict: 'applied', ...balanceCounts(account.balance ?? null), source: 'event' });
