import type { Feature } from '../common/features';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import type { RefreshHash } from '../workflows/refresh-definitions';
import type { ActivityDeps } from './deps';
import { refreshStateOf, type RefreshState } from './get-refresh-state';
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

/**
 * Calls the Refresh API once. The idempotency key comes from the workflow run and attempt, so an activity
 * retry replays Stripe's first answer instead of asking for a second refresh.
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
      // "Refreshes aren't allowed on inactive accounts": a business outcome, not a failure to retry.
      if (stripeCode(err) === 'financial_connections_account_inactive') {
        return {
          initiated: false,
          state: { found: true, lifecycle: 'inactive', hasPermission: true, refresh: input.before, error: null, source: 'stripe' },
        };
      }
      throw toActivityFailure(err, { accountId: input.accountId, operation: `refresh ${input.feature}` });
    }
  };
}
