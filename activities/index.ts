import { createCheckDbActivities, createCheckStripeActivities } from './check-activities';
import { loadConfig } from '../common/node/config';
import { retentionAgesOf, type RetentionAges } from '../db/queries/retention';
import type { ActivityDeps } from './deps';
import { createGetRefreshState } from './get-refresh-state';
import { createInitiateRefresh } from './initiate-refresh';
import { createLoadAccount } from './load-account';
import { createNotifyConsumer } from './notify-consumer';
import { classifyPostgresErrors } from './postgres-errors';
import { createPruneRetainedData } from './prune-retained-data';
import { createSetTransactionSubscription } from './set-transaction-subscription';
import { createRecordRefresh } from './record-refresh';
import { createSettleFailedRefresh } from './settle-failed-refresh';
import { createReportEventBalance, createStoreBalance } from './store-balance';
import { createStoreOwnership } from './store-ownership';
import { createSyncRunActivities } from './sync-runs';
import { createSyncTransactions } from './sync-transactions';

/**
 * Activities that call Stripe (or may: the stored state and the event's payload usually spare the call). They run on
 * their own task queue whose server-side limit caps their starts fleet-wide; every request they make is paced by
 * the Stripe client's request budget, shared by the fleet in Postgres.
 */
export function createStripeActivities(deps: ActivityDeps) {
  return classifyPostgresErrors({
    getRefreshState: createGetRefreshState(deps),
    initiateRefresh: createInitiateRefresh(deps),
    storeBalance: createStoreBalance(deps),
    storeOwnership: createStoreOwnership(deps),
    syncTransactions: createSyncTransactions(deps),
    loadAccount: createLoadAccount(deps),
    setTransactionSubscription: createSetTransactionSubscription(deps),
    ...createCheckStripeActivities(deps),
  });
}

/**
 * Activities that only touch Postgres (and consumers' notification URLs): not rate limited. `retention` defaults
 * to the configured ages' defaults (common/node/config.ts).
 */
export function createDbActivities(deps: Pick<ActivityDeps, 'pool'> & { retention?: RetentionAges }) {
  return classifyPostgresErrors({
    recordRefresh: createRecordRefresh(deps),
    reportEventBalance: createReportEventBalance(deps),
    settleFailedRefresh: createSettleFailedRefresh(deps),
    notifyConsumer: createNotifyConsumer(deps),
    pruneRetainedData: createPruneRetainedData({ pool: deps.pool, retention: deps.retention ?? retentionAgesOf(loadConfig(['retention'], {})) }),
    ...createSyncRunActivities(deps),
    ...createCheckDbActivities(deps),
  });
}

export type StripeActivities = ReturnType<typeof createStripeActivities>;
export type DbActivities = ReturnType<typeof createDbActivities>;
export type { ActivityDeps } from './deps';
