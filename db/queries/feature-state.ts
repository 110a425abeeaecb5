import type { Queryable } from '../pool';
import { toTimestamp } from '../pool';

/**
 * A refresh as Stripe orders them: `last_attempted_at` (unix seconds); `refreshId` tells two refreshes of the same
 * second apart (the transaction refresh id, the ownership id, the balance's as_of).
 */
export interface RefreshKey {
  lastAttemptedAt: number;
  refreshId: string | null;
}

export interface SettledRefresh extends RefreshKey {
  accountId: string;
  feature: string;
  status: 'succeeded' | 'failed';
  error: { code: string; message: string } | null;
  /** The workflow run settling it: a retry of the same run re-applies instead of counting as a duplicate. */
  settledBy: string;
}

/**
 * applied: this refresh is now the account's newest settled one for the feature (the caller's pointer writes in the
 * same transaction may proceed). stale: a newer refresh is already settled. duplicate: this very refresh was already
 * settled by another run (a re-delivered event).
 */
export type SettleVerdict = 'applied' | 'stale' | 'duplicate';

/**
 * Advances fc_feature_state to `refresh` only when it is newer by Stripe's order (fc_refresh_is_newer), or when
 * the same run settles the same refresh again (an activity retry). Call it inside the transaction that moves the
 * feature's pointer, and move the pointer only on `applied`: the row lock it takes orders concurrent settlers.
 */
export async function settleFeatureRefresh(db: Queryable, refresh: SettledRefresh): Promise<SettleVerdict> {
  const { rows } = await db.query<{ applied: boolean; stored_at: Date | null; stored_id: string | null }>(
    `WITH upsert AS (
       INSERT INTO fc_feature_state (account_id, feature, last_attempted_at, refresh_id, status, error, settled_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (account_id, feature) DO UPDATE SET
          last_attempted_at = EXCLUDED.last_attempted_at, refresh_id = EXCLUDED.refresh_id, status = EXCLUDED.status,
          error = EXCLUDED.error, settled_by = EXCLUDED.settled_by, settled_at = now()
       WHERE fc_refresh_is_newer(fc_feature_state.last_attempted_at, fc_feature_state.refresh_id,
                                 EXCLUDED.last_attempted_at, EXCLUDED.refresh_id)
          OR (fc_feature_state.last_attempted_at, fc_feature_state.refresh_id, fc_feature_state.settled_by)
             = (EXCLUDED.last_attempted_at, EXCLUDED.refresh_id, EXCLUDED.settled_by)
       RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM upsert) AS applied, s.last_attempted_at AS stored_at, s.refresh_id AS stored_id
       FROM (SELECT 1) AS one
       LEFT JOIN fc_feature_state s ON s.account_id = $1 AND s.feature = $2`,
    [
      refresh.accountId,
      refresh.feature,
      toTimestamp(refresh.lastAttemptedAt),
      refresh.refreshId ?? '',
      refresh.status,
      refresh.error ? JSON.stringify(refresh.error) : null,
      refresh.settledBy,
    ],
  );
  const row = rows[0];
  if (row?.applied) return 'applied';
  const sameRefresh = row?.stored_at?.getTime() === refresh.lastAttemptedAt * 1000 && row.stored_id === (refresh.refreshId ?? '');
  return sameRefresh ? 'duplicate' : 'stale';
}

/** Whether `refresh` could still be settled: nothing newer is settled for the account and feature (read only). */
export async function isSettleable(db: Queryable, accountId: string, feature: string, refresh: RefreshKey & { settledBy: string }): Promise<SettleVerdict> {
  // The same rule as settleFeatureRefresh, from the same SQL function, only without writing.
  const { rows } = await db.query<{ same: boolean; newer: boolean; settled_by: string }>(
    `SELECT (last_attempted_at, refresh_id) = ($3, $4) AS same,
            fc_refresh_is_newer(last_attempted_at, refresh_id, $3, $4) AS newer, settled_by
       FROM fc_feature_state WHERE account_id = $1 AND feature = $2`,
    [accountId, feature, toTimestamp(refresh.lastAttemptedAt), refresh.refreshId ?? ''],
  );
  const stored = rows[0];
  if (!stored || stored.newer) return 'applied';
  if (stored.same) return stored.settled_by === refresh.settledBy ? 'applied' : 'duplicate';
  return 'stale';
}
