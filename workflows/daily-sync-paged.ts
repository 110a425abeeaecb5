// Legacy: the daily sync as it ran before the sliding window (one child batch workflow per page, one page after
// another). Only runs started before that change take this path (dailySyncWorkflow's `sliding-window` patch), so their
// histories keep replaying; at their next continue-as-new they move to the sliding window. Remove it, with
// syncBatchWorkflow, once no such run is left (then deprecatePatch('sliding-window')).
import { continueAsNew, executeChild, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { DbActivities } from '../activities';
import { addTotals, emptyTotals, type DailySyncInput, type DailySyncResult } from './sync-definitions';
import type { dailySyncWorkflow } from './daily-sync';
import { historyIsLong } from './history-limit';
import { syncBatchWorkflow } from './sync-batch';

export async function pagedDailySync(input: DailySyncInput): Promise<DailySyncResult> {
  const info = workflowInfo();
  const db = proxyLocalActivities<DbActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });
  const summaryId = input.summaryId ?? info.workflowId;
  const pageSize = input.pageSize ?? 100;
  const totals = emptyTotals();
  addTotals(totals, input.totals ?? {});
  let afterId = input.afterId ?? null;

  await db.recordSyncRun({ id: summaryId, totals, status: 'running' });
  for (;;) {
    const page = await db.listSyncableAccounts({ afterId, limit: pageSize });
    if (page.length === 0) break;
    const batch = await executeChild(syncBatchWorkflow, {
      workflowId: `${summaryId}/after-${afterId ?? 'start'}`,
      args: [{ accounts: page, concurrency: input.concurrency ?? 10, recentRefreshSeconds: input.recentRefreshSeconds ?? 36 * 3600 }],
    });
    addTotals(totals, batch);
    afterId = page[page.length - 1]?.id ?? afterId;
    await db.recordSyncRun({ id: summaryId, totals, status: 'running' });
    if (page.length < pageSize) break;
    if (historyIsLong()) {
      return continueAsNew<typeof dailySyncWorkflow>({ ...input, summaryId, afterId, totals });
    }
  }
  await db.recordSyncRun({ id: summaryId, totals, status: 'completed' });
  return { summaryId, ...totals };
}
