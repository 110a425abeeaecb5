// One account of the daily sync: its transactions refresh runs as a child under the account's usual workflow id (so a
// scheduled and a webhook-driven refresh never run at once), bounded in time, and lands in exactly one total.
import { ChildWorkflowFailure, TimeoutFailure } from '@temporalio/common';
import { executeChild, proxyLocalActivities } from '@temporalio/workflow';
import type { DbActivities } from '../activities';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import type { DailySyncSettings, SyncableAccount, SyncTotals } from './sync-definitions';
import { countRefreshResult, countUnfinishedRefresh } from './sync-outcomes';

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
    countRefreshResult(totals, result);
  } catch (err) {
    if (!countUnfinishedRefresh(totals, err)) throw err;
    if (err instanceof ChildWorkflowFailure && err.cause instanceof TimeoutFailure) {
      // Temporal ended the refresh without letting it record an outcome: its fc_refreshes row says so instead.
      await db.closeTimedOutRefresh({
        workflowId,
        runId: err.execution.runId ?? '', // always set for a child that started
        message: `stopped by the daily sync after ${settings.childTimeoutSeconds}s`,
      });
    }
  }
}
