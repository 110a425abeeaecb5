// The scheduled daily transaction sync: covers every active account page by page, each page in a child
// batch workflow, continuing as new so no single history holds all accounts.
import { continueAsNew, executeChild, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { DbActivities } from '../activities';
import { addTotals, emptyTotals, type DailySyncInput, type DailySyncResult } from './sync-definitions';
import { syncBatchWorkflow } from './sync-batch';

const MAX_HISTORY_EVENTS = 1_000;

export async function dailySyncWorkflow(input: DailySyncInput = {}): Promise<DailySyncResult> {
  const info = workflowInfo();
  const db = proxyLocalActivities<DbActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });
  // A scheduled run's workflow id is unique per run (the schedule appends the start time): it names the summary.
  const summaryId = input.summaryId ?? info.workflowId;
  const pageSize = input.pageSize ?? 100;
  const totals = input.totals ?? emptyTotals();
  let afterId = input.afterId ?? null;

  await db.recordSyncRun({ id: summaryId, totals, finished: false });
  for (;;) {
    const page = await db.listSyncableAccounts({ afterId, limit: pageSize });
    if (page.length === 0) break;
    const batch = await executeChild(syncBatchWorkflow, {
      workflowId: `${summaryId}/after-${afterId ?? 'start'}`,
      args: [{ accounts: page, concurrency: input.concurrency ?? 10, recentRefreshSeconds: input.recentRefreshSeconds ?? 36 * 3600 }],
    });
    addTotals(totals, batch);
    afterId = page[page.length - 1]?.id ?? afterId;
    await db.recordSyncRun({ id: summaryId, totals, finished: false });
    if (page.length < pageSize) break;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS) {
      return continueAsNew<typeof dailySyncWorkflow>({ ...input, summaryId, afterId, totals });
    }
  }
  await db.recordSyncRun({ id: summaryId, totals, finished: true });
  return { summaryId, ...totals };
}
