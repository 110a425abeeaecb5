import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../common/failure-types';
import { accountLifecycle, type AccountLifecycle } from '../common/stripe-account';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import type { ActivityDeps } from './deps';
import { stripeCode, toActivityFailure } from './stripe-errors';

export interface SubscriptionResult {
  lifecycle: AccountLifecycle;
  subscriptions: string[];
}

/**
 * Subscribes to (or unsubscribes from) daily transaction refreshes. The idempotency key comes from the
 * workflow update, so a retried activity never subscribes twice.
 */
export function createSetTransactionSubscription({ stripe, pool }: ActivityDeps) {
  return async function setTransactionSubscription(input: { accountId: string; subscribe: boolean; idempotencyKey: string }): Promise<SubscriptionResult> {
    try {
      const params = { features: ['transactions' as const] };
      const options = { idempotencyKey: input.idempotencyKey };
      const account = input.subscribe
        ? await stripe.financialConnections.accounts.subscribe(input.accountId, params, options)
        : await stripe.financialConnections.accounts.unsubscribe(input.accountId, params, options);
      await upsertAccountSnapshot(pool, account, new Date());
      return { lifecycle: accountLifecycle(account), subscriptions: account.subscriptions ?? [] };
    } catch (err) {
      if (stripeCode(err) === 'financial_connections_account_inactive') {
        throw ApplicationFailure.create({
          type: FailureType.AccountInactive,
          message: `${input.accountId} is inactive: Stripe refuses subscriptions on inactive accounts`,
          nonRetryable: true,
        });
      }
      throw toActivityFailure(err, { accountId: input.accountId, operation: input.subscribe ? 'subscribe' : 'unsubscribe' });
    }
  };
}
