import type { Queryable } from '../pool';

// Reads of the change feed. The changes are written by triggers on the data tables, in the same transaction as the
// data: account changes one row each in fc_changes (db/migrations/1700000000004_change-feed.sql), transaction changes
// one row per statement and account in fc_transaction_changes (1700000000007_change-feed-batched.sql), which
// fc_changes_after expands into rows of fc_changes' shape.

export const CHANGE_KINDS = [
  'transaction.added',
  'transaction.modified',
  'transaction.removed',
  'balance.changed',
  'ownership.changed',
  'account.status_changed',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeRow {
  seq: number;
  kind: ChangeKind;
  account_id: string;
  entity_id: string;
  payload: Record<string, unknown>;
  recorded_at: Date;
}

export interface ChangeLogState {
  /** The seq of the newest committed change (0: none yet). */
  lastSeq: number;
  /** Every change up to this seq has been pruned. */
  prunedThrough: number;
}

export async function getChangeLogState(db: Queryable): Promise<ChangeLogState> {
  const { rows } = await db.query<{ last_seq: number; pruned_through: number }>(`SELECT last_seq, pruned_through FROM fc_change_log_state`);
  const row = rows[0];
  if (!row) throw new Error('fc_change_log_state has no row: run the migrations');
  return { lastSeq: row.last_seq, prunedThrough: row.pruned_through };
}

/** Changes after `afterSeq` in seq order, optionally of one account and some kinds. */
export async function listChanges(
  db: Queryable,
  filter: { afterSeq: number; accountId: string | null; kinds: readonly ChangeKind[] | null; limit: number },
): Promise<ChangeRow[]> {
  const { rows } = await db.query<ChangeRow>(
    `SELECT seq, kind, account_id, entity_id, payload, recorded_at FROM fc_changes_after($1, $2, $3, $4)`,
    [filter.afterSeq, filter.accountId, filter.kinds, filter.limit],
  );
  return rows;
}
