// Legacy: one page of the page-by-page daily sync (workflows/daily-sync-paged.ts), kept registered only so runs
// started before the sliding window finish. Each account's transactions refresh runs as a child under its usual
// workflow id, so a scheduled sync and a webhook-driven one for the same account never run at once.
import { executeChild } from '@temporalio/workflow';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import { emptyTotals, type SyncableAccount, type SyncBatchInput, type SyncTotals } from './sync-definitions';
import { countRefreshResult, countUnfinishedRefresh } from './sync-outcomes';

export async function syncBatchWorkflow(input: SyncBatchInput): Promise<SyncTotals> {
  const totals = emptyTotals();
  totals.accountsSeen = input.accounts.length;
  let next = 0;

  async function syncAccount(account: SyncableAccount): Promise<void> {
    try {
      const result = await executeChild<RefreshWorkflow>(REFRESH_WORKFLOW_TYPE, {
        workflowId: refreshWorkflowId('transactions', account.id),
        args: [
          {
            accountId: account.id,
            feature: 'transactions',
            trigger: 'schedule',
            // Stripe refreshes subscribed accounts daily; only a missed day (lost webhook, outage) needs a refresh.
            ...(account.subscribed ? { syncIfRefreshedWithinSeconds: input.recentRefreshSeconds } : {}),
          },
        ],
      });
      countRefreshResult(totals, result);
    } catch (err) {
      if (!countUnfinishedRefresh(totals, err)) throw err;
    }
  }

  // Bounded concurrency: `concurrency` lanes take accounts in order.
  const lane = async (): Promise<void> => {
    while (next < input.accounts.length) {
      const account = input.accounts[next++];
      if (account) await syncAccount(account);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency) }, lane));
  return totals;
}
