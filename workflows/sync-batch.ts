// Legacy: one page of the page-by-page daily sync (workflows/daily-sync-paged.ts), kept registered only so runs
// started before the sliding window finish. Each account's transactions refresh runs as a child under its usual
// workflow id, so a scheduled sync and a webhook-driven one for the same account never run at once.
import { CancelledFailure, ChildWorkflowFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { executeChild } from '@temporalio/workflow';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import { emptyTotals, type SyncableAccount, type SyncBatchInput, type SyncTotals } from './sync-definitions';

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
      if (result.outcome === 'succeeded') {
        totals.accountsSynced += 1;
        totals.transactionsAdded += result.stored.transactionsAdded ?? 0;
        totals.transactionsUpdated += result.stored.transactionsUpdated ?? 0;
      } else if (result.outcome === 'account_inactive' || result.outcome === 'permission_missing' || result.outcome === 'account_not_found') {
        totals.accountsSkipped += 1;
      } else {
        totals.accountsFailed += 1;
      }
    } catch (err) {
      // Already syncing (a webhook-started run): that run stores the data.
      if (err instanceof WorkflowExecutionAlreadyStartedError) totals.accountsSkipped += 1;
      // Cancelled from outside: the account's workflow stops its refreshes when Stripe deactivates it mid-run.
      else if (err instanceof ChildWorkflowFailure && err.cause instanceof CancelledFailure) totals.accountsSkipped += 1;
      else if (err instanceof ChildWorkflowFailure) totals.accountsFailed += 1;
      else throw err;
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
