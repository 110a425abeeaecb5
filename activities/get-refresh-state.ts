import type { Feature } from '../common/features';
import { accountLifecycle, hasFeaturePermission, refreshErrorOf, refreshHashOf, type AccountLifecycle, type FcAccount } from '../common/stripe-account';
import { getStoredAccountSnapshot, upsertAccountSnapshot } from '../db/queries/accounts';
import type { RefreshHash } from '../workflows/refresh-definitions';
import type { ActivityDeps } from './deps';
import { stripeCode, toActivityFailure } from './stripe-errors';

export interface RefreshState {
  found: boolean;
  lifecycle: AccountLifecycle;
  hasPermission: boolean;
  refresh: RefreshHash | null;
  error: { code: string; message: string } | null;
  /** Where the state came from: Stripe, or the stored snapshot when it was young enough. */
  source: 'stripe' | 'stored';
}

export function refreshStateOf(account: FcAccount, feature: Feature, source: RefreshState['source']): RefreshState {
  return {
    found: true,
    lifecycle: accountLifecycle(account),
    hasPermission: hasFeaturePermission(account, feature),
    refresh: refreshHashOf(account, feature),
    error: refreshErrorOf(account, feature),
    source,
  };
}

/**
 * The account's state for one feature. Every Stripe call counts against its rate limit, so a stored snapshot
 * younger than `maxAgeSeconds` is used instead; the snapshot is refreshed whenever Stripe is asked.
 */
export function createGetRefreshState({ stripe, pool }: ActivityDeps) {
  return async function getRefreshState(input: { accountId: string; feature: Feature; maxAgeSeconds: number }): Promise<RefreshState> {
    if (input.maxAgeSeconds > 0) {
      const stored = await getStoredAccountSnapshot(pool, input.accountId);
      const state = stored && Date.now() - stored.seenAt.getTime() <= input.maxAgeSeconds * 1000
        ? refreshStateOf(stored.snapshot, input.feature, 'stored')
        : undefined;
      // A stored `pending` may have completed since: adopting it would wait on a refresh that is over.
      if (state && state.refresh?.status !== 'pending') return state;
    }
    try {
      const account = await stripe.financialConnections.accounts.retrieve(input.accountId);
      await upsertAccountSnapshot(pool, account, new Date());
      return refreshStateOf(account, input.feature, 'stripe');
    } catch (err) {
      if (stripeCode(err) === 'resource_missing') {
        return { found: false, lifecycle: 'inactive', hasPermission: false, refresh: null, error: null, source: 'stripe' };
      }
      throw toActivityFailure(err, { accountId: input.accountId, operation: 'retrieve account' });
    }
  };
}
