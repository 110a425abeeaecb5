import { closeTimedOutRefresh, listSyncableAccounts, upsertSyncRun, type SyncableAccount, type SyncRunStatus, type SyncTotals } from '../db/queries/sync-runs';
import type { ActivityDeps } from './deps';

/** The scheduled sync's bookkeeping: which accounts to cover, the run's summary row, and refreshes it had to stop. */
export function createSyncRunActivities({ pool }: Pick<ActivityDeps, 'pool'>) {
  return {
    async listSyncableAccounts(input: { afterId: string | null; limit: number }): Promise<SyncableAccount[]> {
      return listSyncableAccounts(pool, input.afterId, input.limit);
    },
    async recordSyncRun(input: { id: string; totals: SyncTotals; status: SyncRunStatus }): Promise<void> {
      await upsertSyncRun(pool, input.id, input.totals, input.status);
    },
    async closeTimedOutRefresh(input: { workflowId: string; runId: string; message: string }): Promise<void> {
      await closeTimedOutRefresh(pool, input.workflowId, input.runId, input.message);
    },
  };
}
