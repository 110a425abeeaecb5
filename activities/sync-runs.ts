import { listSyncableAccounts, upsertSyncRun, type SyncableAccount, type SyncTotals } from '../db/queries/sync-runs';
import type { ActivityDeps } from './deps';

/** The scheduled sync's bookkeeping: which accounts to cover, and the run's summary row. */
export function createSyncRunActivities({ pool }: Pick<ActivityDeps, 'pool'>) {
  return {
    async listSyncableAccounts(input: { afterId: string | null; limit: number }): Promise<SyncableAccount[]> {
      return listSyncableAccounts(pool, input.afterId, input.limit);
    },
    async recordSyncRun(input: { id: string; totals: SyncTotals; finished: boolean }): Promise<void> {
      await upsertSyncRun(pool, input.id, input.totals, input.finished);
    },
  };
}
