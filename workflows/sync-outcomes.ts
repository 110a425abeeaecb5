// How one account's transactions refresh counts in a daily sync's totals, whether the child returned or not; the
// sliding-window sync (sync-account.ts) and the legacy page-by-page batch (sync-batch.ts) count alike.
import { CancelledFailure, ChildWorkflowFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { RefreshResult } from './refresh-definitions';
import type { SyncTotals } from './sync-definitions';

/** Counts a refresh that returned its result. */
export function countRefreshResult(totals: SyncTotals, result: RefreshResult): void {
  switch (result.outcome) {
    // `ignored`: a newer refresh of the account was already stored (e.g. by its webhook's run): it is up to date.
    case 'succeeded':
    case 'ignored':
      totals.accountsSynced += 1;
      totals.transactionsAdded += result.stored.transactionsAdded ?? 0;
      totals.transactionsUpdated += result.stored.transactionsUpdated ?? 0;
      return;
    case 'deferred':
      totals.accountsDeferred += 1;
      return;
    case 'account_inactive':
    case 'permission_missing':
    case 'account_not_found':
      totals.accountsSkipped += 1;
      return;
    case 'failed':
    case 'timed_out':
      totals.accountsFailed += 1;
  }
}

/** Counts a refresh child that did not return; false when `err` is not about the child (the caller rethrows it). */
export function countUnfinishedRefresh(totals: SyncTotals, err: unknown): boolean {
  // Already syncing (a webhook-started run): that run stores the data. Cancelled from outside: the account's workflow
  // stops its refreshes when Stripe deactivates it mid-run.
  if (err instanceof WorkflowExecutionAlreadyStartedError || (err instanceof ChildWorkflowFailure && err.cause instanceof CancelledFailure)) {
    totals.accountsSkipped += 1;
  } else if (err instanceof ChildWorkflowFailure) {
    totals.accountsFailed += 1;
  } else {
    return false;
  }
  return true;
}
