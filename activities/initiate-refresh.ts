import Stripe from 'stripe';
import type { Feature } from '../common/features';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import type { RefreshHash } from '../workflows/refresh-definitions';
import type { ActivityDeps } from './deps';
import { refreshStateOf, retrieveRefreshState, type RefreshState } from './get-refresh-state';
import { stripeCode, toActivityFailure } from './stripe-errors';

export interface InitiateResult {
  /** Whether Stripe really started a refresh: it answers 200 with the account unchanged when it did not. */
  initiated: boolean;
  state: RefreshState;
}

/** True when the response shows a refresh newer than the one seen before the call. */
export function wasInitiated(before: RefreshHash | null, after: RefreshHash | null): boolean {
  if (!after || after.status !== 'pending') return false;
  if (!before) return true;
  return after.lastAttemptedAt > before.lastAttemptedAt || (after.id !== null && after.id !== before.id) || before.status !== 'pending';
}

const INACTIVE = 'financial_connections_account_inactive';

/** Stripe refusing the refresh of this account: inactive ("Refreshes aren't allowed on inactive accounts"), or a permission the holder did not grant. */
function isRefusal(err: unknown): boolean {
  return stripeCode(err) === INACTIVE || (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === undefined && err.param === 'features');
}

/**
 * Calls the Refresh API once. The idempotency key comes from the workflow run and attempt, so an activity
 * retry replays Stripe's first answer instead of asking for a second refresh. Its answer is the account, so the
 * workflow learns from it what a retrieve would tell (started or not, next_refresh_available_at); only a refusal
 * costs a retrieve, to learn and store why (the account's status is what balance checks read).
 */
export function createInitiateRefresh({ stripe, pool }: ActivityDeps) {
  return async function initiateRefresh(input: { accountId: string; feature: Feature; idempotencyKey: string; before: RefreshHash | null }): Promise<InitiateResult> {
    try {
      const account = await stripe.financialConnections.accounts.refresh(
        input.accountId,
        { features: [input.feature] },
        { idempotencyKey: input.idempotencyKey },
      );
      await upsertAccountSnapshot(pool, account, new Date());
      const state = refreshStateOf(account, input.feature, 'stripe');
      return { initiated: wasInitiated(input.before, state.refresh), state };
    } catch (err) {
      if (!isRefusal(err)) throw toActivityFailure(err, { accountId: input.accountId, operation: `refresh ${input.feature}` });
      // A business outcome, not a failure to retry: the account's state says which.
      const state = await retrieveRefreshState({ stripe, pool }, input.accountId, input.feature);
      if (!state.found || state.lifecycle !== 'active' || !state.hasPermission) return { initiated: false, state };
      // Stripe refused it as inactive an instant before the retrieve saw it active again: its refusal stands.
      if (stripeCode(err) === INACTIVE) return { initiated: false, state: { ...state, lifecycle: 'inactive' } };
      throw toActivityFailure(err, { accountId: input.accountId, operation: `refresh ${input.feature}` });
    }
  };
}
