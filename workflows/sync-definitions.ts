// The scheduled transaction sync's contract, shared by the workflows, the schedule client and tests.
import type { SyncableAccount, SyncTotals } from '../db/queries/sync-runs';

export type { SyncableAccount, SyncTotals };

export interface DailySyncInput {
  /** Accounts per child batch workflow (default 100). */
  pageSize?: number;
  /** Account syncs in flight at once per batch (default 10); Stripe's rate limit is enforced on the task queue. */
  concurrency?: number;
  /** A subscribed account whose last refresh succeeded within this window is synced, not refreshed (default 36 h). */
  recentRefreshSeconds?: number;
  /** Carried across continue-as-new. */
  summaryId?: string;
  afterId?: string | null;
  totals?: SyncTotals;
}

export interface DailySyncResult extends SyncTotals {
  summaryId: string;
}

export interface SyncBatchInput {
  accounts: SyncableAccount[];
  concurrency: number;
  recentRefreshSeconds: number;
}

export const emptyTotals = (): SyncTotals => ({
  accountsSeen: 0,
  accountsSynced: 0,
  accountsSkipped: 0,
  accountsFailed: 0,
  transactionsAdded: 0,
  transactionsUpdated: 0,
});

export function addTotals(into: SyncTotals, more: SyncTotals): void {
  into.accountsSeen += more.accountsSeen;
  into.accountsSynced += more.accountsSynced;
  into.accountsSkipped += more.accountsSkipped;
  into.accountsFailed += more.accountsFailed;
  into.transactionsAdded += more.transactionsAdded;
  into.transactionsUpdated += more.transactionsUpdated;
}
