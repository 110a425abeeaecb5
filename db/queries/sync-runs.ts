import type { Queryable } from '../pool';

export interface SyncTotals {
  accountsSeen: number;
  accountsSynced: number;
  accountsSkipped: number;
  accountsFailed: number;
  transactionsAdded: number;
  transactionsUpdated: number;
}

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

/** Writes the run's running totals; `finished` closes it. Totals are absolute, so a retry rewrites the same row. */
export async function upsertSyncRun(db: Queryable, id: string, totals: SyncTotals, finished: boolean): Promise<void> {
  await db.query(
    `INSERT INTO fc_sync_runs (id, status, accounts_seen, accounts_synced, accounts_skipped, accounts_failed,
        transactions_added, transactions_updated, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9 THEN now() END)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, accounts_seen = EXCLUDED.accounts_seen,
        accounts_synced = EXCLUDED.accounts_synced, accounts_skipped = EXCLUDED.accounts_skipped,
        accounts_failed = EXCLUDED.accounts_failed, transactions_added = EXCLUDED.transactions_added,
        transactions_updated = EXCLUDED.transactions_updated, finished_at = EXCLUDED.finished_at, updated_at = now()`,
    [id, finished ? 'completed' : 'running', totals.accountsSeen, totals.accountsSynced, totals.accountsSkipped,
      totals.accountsFailed, totals.transactionsAdded, totals.transactionsUpdated, finished],
  );
}
