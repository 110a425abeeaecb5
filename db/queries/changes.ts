import type { Queryable } from '../pool';

// Reads of the change feed. The changes are written by triggers on the data tables, in the same transaction as the
// data: account changes one row each in fc_changes (db/migrations/1700000000004_change-feed.sql), transaction changes
// one row per statement, account and kind in fc_transaction_changes (1700000000007_change-feed-batched.sql, each
// change a flat delta since 1700000000008_change-feed-flat-images.sql), which fc_changes_after expands into rows of
// fc_changes' shape, with the transactions' images from which listChanges builds their payloads.

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

/** A transaction as fc_transaction_image holds it (1700000000007), as to_json gives it: times as ISO 8601. */
interface TransactionImage {
  id: string;
  amount: number;
  currency: string;
  description: string | null;
  status: string;
  posted_at: string | null;
  void_at: string | null;
  transacted_at: string;
  stripe_updated: string;
}

const TIMES = new Set<keyof TransactionImage>(['posted_at', 'void_at', 'transacted_at', 'stripe_updated']);

/** An image field as the payload gives it: times in unix seconds, as Stripe does. */
function fieldOf(image: TransactionImage, column: keyof TransactionImage): unknown {
  const value = image[column];
  return TIMES.has(column) && typeof value === 'string' ? Math.round(Date.parse(value) / 1000) : value;
}

/** The payload's transaction fields and the image fields they come from, in the payload names' alphabetical order. */
const TRANSACTION_FIELDS = [
  ['amount', 'amount'],
  ['currency', 'currency'],
  ['description', 'description'],
  ['postedAt', 'posted_at'],
  ['status', 'status'],
  ['transactedAt', 'transacted_at'],
  ['updated', 'stripe_updated'],
  ['voidAt', 'void_at'],
] as const satisfies readonly (readonly [string, keyof TransactionImage])[];

/**
 * A transaction change's payload, as 1700000000004's triggers stored it: the transaction; for modified and removed
 * also `changed` (the fields that differ, alphabetically) and `previous` (their values before).
 */
function transactionPayload(after: TransactionImage, before: TransactionImage | null): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [name, column] of TRANSACTION_FIELDS) payload[name] = fieldOf(after, column);
  if (!before) return payload;
  const changed = TRANSACTION_FIELDS.filter(([name, column]) => payload[name] !== fieldOf(before, column));
  return { ...payload, previous: Object.fromEntries(changed.map(([name, column]) => [name, fieldOf(before, column)])), changed: changed.map(([name]) => name) };
}

/** Changes after `afterSeq` in seq order, optionally of one account and some kinds. */
export async function listChanges(
  db: Queryable,
  filter: { afterSeq: number; accountId: string | null; kinds: readonly ChangeKind[] | null; limit: number },
): Promise<ChangeRow[]> {
  const { rows } = await db.query<Omit<ChangeRow, 'payload'> & { payload: ChangeRow['payload'] | null; after: TransactionImage | null; before: TransactionImage | null }>(
    `SELECT seq, kind, account_id, entity_id, payload, after, before, recorded_at FROM fc_changes_after($1, $2, $3, $4)`,
    [filter.afterSeq, filter.accountId, filter.kinds, filter.limit],
  );
  return rows.map(({ after, before, payload, ...row }) => {
    if (payload) return { ...row, payload };
    if (!after) throw new Error(`change ${row.seq} has neither a payload nor a transaction image`);
    return { ...row, payload: transactionPayload(after, before) };
  });
}
