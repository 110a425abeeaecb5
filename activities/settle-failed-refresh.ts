import type { Feature } from '../common/features';
import { settleFeatureRefresh, type SettleVerdict } from '../db/queries/feature-state';
import type { RefreshError, RefreshHash } from '../workflows/refresh-definitions';
import type { ActivityDeps } from './deps';
import { settlingRun } from './settlement';

/**
 * Records a failed refresh as the feature's newest outcome, unless a newer refresh is already settled: a late
 * `failed` event of an older refresh never hides a newer success.
 */
export function createSettleFailedRefresh({ pool }: Pick<ActivityDeps, 'pool'>) {
  return async function settleFailedRefresh(input: { accountId: string; feature: Feature; refresh: RefreshHash; error: RefreshError }): Promise<SettleVerdict> {
    return settleFeatureRefresh(pool, {
      accountId: input.accountId,
      feature: input.feature,
      lastAttemptedAt: input.refresh.lastAttemptedAt,
      refreshId: input.refresh.id,
      status: 'failed',
      error: input.error,
      settledBy: settlingRun(),
    });
  };
}
