import type { Feature } from '../common/features';
import { accountLifecycle, hasFeaturePermission, ownershipIdOf, refreshErrorOf, refreshHashOf, type AccountLifecycle, type FcAccount } from '../common/stripe-account';
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
  /**
   * Ownership only, from Stripe: the id of the ownership the account points at (an id, no owner data), so a
   * completion found by polling is stored without retrieving the account again.
   */
  ownershipId?: string | null;
}

export function refreshStateOf(account: FcAccount, feature: Feature, source: RefreshState['source']): RefreshState {
  return {
    found: true,
    lifecycle: accountLifecycle(account),
    hasPermission: hasFeaturePermission(account, feature),
    refresh: refreshHashOf(account, feature),
    error: refreshErrorOf(account, feature),
    source,
    ...(feature === 'ownership' && source === 'stripe' ? { ownershipId: ownershipIdOf(account) } : {}),
  };
}

export interface GetRefreshStateInput {
  accountId: string;
  feature: Feature;
  maxAgeSeconds: number;
  /**
   * Also use a stored snapshot of any age when it leads to the Refresh API call (active, permitted, no refresh
   * pending): that call's answer says whatever a retrieve would have (started, or not and until when; inactive and
   * missing-permission refusals), so retrieving the account first would only cost Stripe a call. A snapshot that
   * stops the request (inactive, no permission) or names a pending refresh is trusted only while young.
   */
  storedIfInitiable?: boolean;
}

/** Whether a stored state would send the workflow on to initiate (at once or after the wait it names). */
const leadsToInitiate = (state: RefreshState): boolean =>
  state.found && state.lifecycle === 'active' && state.hasPermission && state.refresh?.status !== 'pending';

/**
 * The account's state for one feature. Every Stripe call counts against its rate limit, so a stored snapshot
 * younger than `maxAgeSeconds` is used instead; the snapshot is refreshed whenever Stripe is asked.
 */
export function createGetRefreshState({ stripe, pool }: ActivityDeps) {
  return async function getRefreshState(input: GetRefreshStateInput): Promise<RefreshState> {
    if (input.maxAgeSeconds > 0) {
      const stored = await getStoredAccountSnapshot(pool, input.accountId);
      const state = stored ? refreshStateOf(stored.snapshot, input.feature, 'stored') : undefined;
      const young = stored !== null && Date.now() - stored.seenAt.getTime() <= input.maxAgeSeconds * 1000;
      // A stored `pending` may have completed since: adopting it would wait on a refresh that is over.
      if (state && young && state.refresh?.status !== 'pending') return state;
      if (state && input.storedIfInitiable && leadsToInitiate(state)) return state;
    }
    return retrieveRefreshState({ stripe, pool }, input.accountId, input.feature);
  };
}

/** The account's state as Stripe reports it now; the stored snapshot follows. */
export async function retrieveRefreshState({ stripe, pool }: Pick<ActivityDeps, 'stripe' | 'pool'>, accountId: string, feature: Feature): Promise<RefreshState> {
  try {
    const account = await stripe.financialConnections.accounts.retrieve(accountId);
    await upsertAccountSnapshot(pool, account, new Date());
    return refreshStateOf(account, feature, 'stripe');
  } catch (err) {
    if (stripeCode(err) === 'resource_missing') {
      return { found: false, lifecycle: 'inactive', hasPermission: false, refresh: null, error: null, source: 'stripe' };
    }
    throw toActivityFailure(err, { accountId, operation: 'retrieve account' });
  }
}
