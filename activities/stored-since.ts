import { getFeatureRefreshedAt, type StampedFeature } from '../db/queries/feature-refreshed-at';
import type { ActivityDeps } from './deps';

/**
 * Whether a refresh stored `feature` for the account at or after `sinceMs`: how a check learns that a refresh
 * started by someone else (which it cannot await directly) has landed its data.
 */
export function createHasStoredSince({ pool }: Pick<ActivityDeps, 'pool'>) {
  return async function hasStoredSince(input: { accountId: string; feature: StampedFeature; sinceMs: number }): Promise<boolean> {
    const refreshedAt = await getFeatureRefreshedAt(pool, input.accountId, input.feature);
    return refreshedAt !== null && refreshedAt.getTime() >= input.sinceMs;
  };
}
