import { createBalanceCheckActivities } from './balance-check';
import type { ActivityDeps } from './deps';
import { createOwnershipCheckActivities } from './ownership-check';
import { createResolvePaymentAccount } from './resolve-payment-account';
import { createHasStoredSince } from './stored-since';

// Balance checks and ownership verifications, split by where they run (see activities/index.ts).

/** Stripe calls: on the rate-limited Stripe task queue. */
export function createCheckStripeActivities(deps: ActivityDeps) {
  return {
    resolvePaymentAccount: createResolvePaymentAccount(deps),
  };
}

/** Postgres only: local activities on the workflow worker. */
export function createCheckDbActivities(deps: Pick<ActivityDeps, 'pool'>) {
  return {
    hasStoredSince: createHasStoredSince(deps),
    ...createBalanceCheckActivities(deps),
    ...createOwnershipCheckActivities(deps),
  };
}
