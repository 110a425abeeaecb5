import { accountLifecycle, type AccountLifecycle } from '../common/stripe-account';
import { upsertAccountSnapshot } from '../db/queries/accounts';
import type { ActivityDeps } from './deps';
import { stripeCode, toActivityFailure } from './stripe-errors';

export interface LoadedAccount {
  found: boolean;
  lifecycle: AccountLifecycle;
  subscriptions: string[];
}

/** Reads an account from Stripe and stores its snapshot: registration's first step. */
export function createLoadAccount({ stripe, pool }: ActivityDeps) {
  return async function loadAccount(input: { accountId: string }): Promise<LoadedAccount> {
    try {
      const account = await stripe.financialConnections.accounts.retrieve(input.accountId);
      await upsertAccountSnapshot(pool, account, new Date());
      return { found: true, lifecycle: accountLifecycle(account), subscriptions: account.subscriptions ?? [] };
    } catch (err) {
      if (stripeCode(err) === 'resource_missing') return { found: false, lifecycle: 'inactive', subscriptions: [] };
      throw toActivityFailure(err, { accountId: input.accountId, operation: 'load account' });
    }
  };
}
