import type { Queryable } from '../pool';
import { toTimestamp } from '../pool';
import { TERMINAL_STATUSES } from '../../workflows/refresh-definitions';

/** The row kept for one refresh lifecycle; times in unix seconds as the workflow tracks them. */
export interface RefreshRecord {
  workflowId: string;
  runId: string;
  accountId: string;
  feature: string;
  trigger: string;
  status: string;
  attempts: number;
  initiatedAt: number | null;
  lastAttemptedAt: number | null;
  nextRefreshAvailableAt: number | null;
  completedAt: number | null;
  transactionRefreshId: string | null;
  error: { code: string; message: string } | null;
  result: Record<string, unknown> | null;
}

/** Upsert keyed by the workflow run, so a retried activity or replayed step writes the same row. */
export async function upsertRefreshRecord(db: Queryable, record: RefreshRecord): Promise<void> {
  await db.query(
    `INSERT INTO fc_refreshes (workflow_id, run_id, account_id, feature, trigger, status, attempts, initiated_at,
        last_attempted_at, next_refresh_available_at, completed_at, transaction_refresh_id, error, result)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
     ON CONFLICT (workflow_id, run_id) DO UPDATE SET
        status = EXCLUDED.status, attempts = EXCLUDED.attempts, initiated_at = EXCLUDED.initiated_at,
        last_attempted_at = EXCLUDED.last_attempted_at, next_refresh_available_at = EXCLUDED.next_refresh_available_at,
        completed_at = EXCLUDED.completed_at, transaction_refresh_id = EXCLUDED.transaction_refresh_id,
        error = EXCLUDED.error, result = EXCLUDED.result, updated_at = now()
     -- A recorded ending is final: a late or retried write of an earlier phase never reopens it.
     WHERE fc_refreshes.status NOT IN (${TERMINAL_STATUSES.map((status) => `'${status}'`).join(', ')})`,
    [
      record.workflowId, record.runId, record.accountId, record.feature, record.trigger, record.status,
      record.attempts, toTimestamp(record.initiatedAt), toTimestamp(record.lastAttemptedAt),
      toTimestamp(record.nextRefreshAvailableAt), toTimestamp(record.completedAt), record.transactionRefreshId,
      record.error ? JSON.stringify(record.error) : null, record.result ? JSON.stringify(record.result) : null,
    ],
  );
}
