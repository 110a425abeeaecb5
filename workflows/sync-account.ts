// One account of the daily sync: its transactions refresh runs as a child under the account's usual workflow id (so a
// scheduled and a webhook-driven refresh never run at once), bounded in time, and lands in exactly one total.
import { CancelledFailure, ChildWorkflowFailure, TimeoutFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { executeChild, proxyLocalActivities } from '@temporalio/workflow';
import type { DbActivities } from '../activities';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import type { DailySyncSettings, SyncableAccount, SyncTotals } from './sync-definitions';

const db = proxyLocalActivities<DbActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

export async function syncAccount(account: SyncableAccount, settings: Required<DailySyncSettings>, totals: SyncTotals): Promise<void> {
  const workflowId = refreshWorkflowId('transactions', account.id);
  try {
    const result = await executeChild<RefreshWorkflow>(REFRESH_WORKFLOW_TYPE, {
      workflowId,
      // Whatever the refresh waits for, the run gets its slot back: Temporal stops the child at this limit.
      workflowExecutionTimeout: settings.childTimeoutSeconds * 1000,
      args: [
        {
          accountId: account.id,
          feature: 'transactions',
          trigger: 'schedule',
          // A cooldown longer than the window ends the refresh `deferred` at once: tomorrow's run takes it.
          deferIfUnavailableForSeconds: settings.deferIfUnavailableForSeconds,
          completionTimeoutSeconds: settings.completionTimeoutSeconds,
          // Ends itself, recorded `timed_out`, a little before Temporal's hard stop at the child timeout.
          refreshDeadlineSeconds: settings.childTimeoutSeconds - Math.min(60, Math.ceil(settings.childTimeoutSeconds / 4)),
          // Stripe refreshes subscribed accounts daily; only a missed day (lost webhook, outage) needs a refresh.
          ...(account.subscribed ? { syncIfRefreshedWithinSeconds: settings.recentRefreshSeconds } : {}),
        },
      ],
    });
    // `ignored`: a newer refresh of the account was already stored (e.g. by its webhook's run): it is up to date.
    if (result.outcome === 'succeeded' || result.outcome === 'ignored') {
      totals.accountsSynced += 1;
      totals.transactionsAdded += result.stored.transactionsAdded ?? 0;
      totals.transactionsUpdated += result.stored.transactionsUpdated ?? 0;
    } else if (result.outcome === 'deferred') {
      totals.accountsDeferred += 1;
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
    else if (err instanceof ChildWorkflowFailure && err.cause instanceof TimeoutFailure) {
      totals.accountsFailed += 1;
      // Temporal ended the refresh without letting it record an outcome: its fc_refreshes row says so instead.
      await db.closeTimedOutRefresh({
        workflowId,
        runId: err.execution.runId ?? '', // always set for a child that started
        message: `stopped by the daily sync after ${settings.childTimeoutSeconds}s`,
      });
    } else if (err instanceof ChildWorkflowFailure) totals.accountsFailed += 1;
    else throw err;
  }
}
