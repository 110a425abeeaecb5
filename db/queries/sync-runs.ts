import type { Queryable } from '../pool';

export interface SyncTotals {
  accountsSeen: number;
  accountsSynced: number;
  accountsSkipped: number;
  /** Accounts that could not refresh within the run's defer window (cooldown, unknown availability): left for the next run. */
  accountsDeferred: number;
  /** Includes accounts whose refresh workflow hit the run's child timeout. */
  accountsFailed: number;
  transactionsAdded: number;
  transactionsUpdated: number;
}

/** `deadline_passed`: the run reached its deadline before starting every account. */
export type SyncRunStatus = 'running' | 'completed' | 'deadline_passed';

export interface SyncableAccount {
  id: string;
  subscribed: boolean;
}

/** Active accounts that granted transactions, in id order from `afterId` (keyset pagination). */
export async function listSyncableAccounts(db: Queryable, afterId: string | null, limit: number): Promise<SyncableAccount[]> {
  const { rows } = await db.query<{ id: string; subscribed: boolean }>(
    `SELECT id, 'transactions' = ANY(subscriptions) AS subscribed FROM fc_accounts
      WHERE status = 'active' AND 'transactions' = ANY(permissions) AND ($1::text IS NULL OR id > $1)
      ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows;
}

/** Writes the run's running totals; a status other than `running` closes it. Totals are absolute, so a retry rewrites the same row. */
export async function upsertSyncRun(db: Queryable, id: string, totals: SyncTotals, status: SyncRunStatus): Promise<void> {
  await db.query(
    `INSERT INTO fc_sync_runs (id, status, accounts_seen, accounts_synced, accounts_skipped, accounts_deferred, accounts_failed,
        transactions_added, transactions_updated, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $2 <> 'running' THEN now() END)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, accounts_seen = EXCLUDED.accounts_seen,
        accounts_synced = EXCLUDED.accounts_synced, accounts_skipped = EXCLUDED.accounts_skipped,
        accounts_deferred = EXCLUDED.accounts_deferred, accounts_failed = EXCLUDED.accounts_failed,
        transactions_added = EXCLUDED.transactions_added, transactions_updated = EXCLUDED.transactions_updated,
        finished_at = EXCLUDED.finished_at, updated_at = now()`,
    [id, status, totals.accountsSeen, totals.accountsSynced, totals.accountsSkipped, totals.accountsDeferred,
      totals.accountsFailed, totals.transactionsAdded, totals.transactionsUpdated],
  );
}

/**
 * Closes the fc_refreshes row of a refresh workflow the sync stopped at its child timeout: Temporal ended it without
 * letting it record an outcome. Only a row still in a non-terminal phase changes, so a retry or a late write is harmless.
 */
export async function closeTimedOutRefresh(db: Queryable, workflowId: string, runId: string, message: string): Promise<void> {
  await db.query(
    `UPDATE fc_refreshes SET status = 'timed_out', completed_at = now(), error = $3, updated_at = now()
      WHERE workflow_id = $1 AND run_id = $2
        AND status IN ('checking', 'waiting_for_availability', 'initiating', 'pending', 'storing')`,
    [workflowId, runId, JSON.stringify({ code: 'sync_child_timeout', message })],
  );
}
