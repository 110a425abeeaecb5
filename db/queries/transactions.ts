import type Stripe from 'stripe';
import type { Queryable } from '../pool';
import { statementName, toTimestamp } from '../pool';

type Transaction = Stripe.FinancialConnections.Transaction;

export interface UpsertCounts {
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * The page upsert, one statement: the page's columns as arrays (times as unix seconds, made timestamptz by
 * to_timestamp in Postgres rather than as text), unnested into rows, and one row back with the counts. A row changes
 * only when the incoming `updated` is newer (or the same second with different content), so a replayed or
 * out-of-order page never overwrites fresher data. Run as the named prepared statement `fc_upsert_transactions`
 * (parsed and planned once per connection; FC_PG_NAMED_STATEMENTS=false turns that off, README "PgBouncer").
 */
const UPSERT_TRANSACTIONS = `
  WITH written AS (
    INSERT INTO fc_transactions AS t (id, account_id, amount, currency, description, status, posted_at, void_at,
        transacted_at, transaction_refresh_id, stripe_updated)
    SELECT u.id, u.account_id, u.amount, u.currency, u.description, u.status, to_timestamp(u.posted_at),
           to_timestamp(u.void_at), to_timestamp(u.transacted_at), u.transaction_refresh_id, to_timestamp(u.stripe_updated)
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
                  $9::bigint[], $10::text[], $11::bigint[])
        AS u(id, account_id, amount, currency, description, status, posted_at, void_at, transacted_at,
             transaction_refresh_id, stripe_updated)
    ON CONFLICT (id) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency,
        description = EXCLUDED.description, status = EXCLUDED.status, posted_at = EXCLUDED.posted_at,
        void_at = EXCLUDED.void_at, transacted_at = EXCLUDED.transacted_at,
        transaction_refresh_id = EXCLUDED.transaction_refresh_id, stripe_updated = EXCLUDED.stripe_updated,
        stored_at = now()
    WHERE t.stripe_updated < EXCLUDED.stripe_updated
        -- \`updated\` has one-second resolution: a change within the same second still differs in content
        OR (t.stripe_updated = EXCLUDED.stripe_updated
            AND (t.status, t.amount, t.posted_at, t.void_at, t.transaction_refresh_id)
                IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.amount, EXCLUDED.posted_at, EXCLUDED.void_at,
                 EXCLUDED.transaction_refresh_id))
    RETURNING (t.xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS added, count(*)::int AS written FROM written`;

/**
 * A page as UPSERT_TRANSACTIONS takes it ($1…$11): one array per column, times in unix seconds. Also what
 * bench/ingest.ts inserts for the write stage's per-page floor.
 */
export function transactionColumns(transactions: Transaction[]): unknown[] {
  return [
    transactions.map((t) => t.id),
    transactions.map((t) => t.account),
    transactions.map((t) => t.amount),
    transactions.map((t) => t.currency),
    transactions.map((t) => t.description),
    transactions.map((t) => t.status),
    transactions.map((t) => t.status_transitions?.posted_at ?? null),
    transactions.map((t) => t.status_transitions?.void_at ?? null),
    transactions.map((t) => t.transacted_at),
    transactions.map((t) => t.transaction_refresh),
    transactions.map((t) => t.updated),
  ];
}

/** Upserts a page of transactions in one statement (UPSERT_TRANSACTIONS); the counts of what it did. */
export async function upsertTransactions(db: Queryable, transactions: Transaction[]): Promise<UpsertCounts> {
  if (transactions.length === 0) return { added: 0, updated: 0, unchanged: 0 };
  const { rows } = await db.query<{ added: number; written: number }>({
    ...statementName('fc_upsert_transactions'),
    text: UPSERT_TRANSACTIONS,
    values: transactionColumns(transactions),
  });
  const { added = 0, written = 0 } = rows[0] ?? {};
  return { added, updated: written - added, unchanged: transactions.length - written };
}

export async function getTransactionCursor(db: Queryable, accountId: string): Promise<string | null> {
  const { rows } = await db.query<{ transaction_refresh_id: string }>(
    `SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1`,
    [accountId],
  );
  return rows[0]?.transaction_refresh_id ?? null;
}

/** Forgets the account's cursor (Stripe no longer knows it), so the next sync lists everything. */
export async function clearTransactionCursor(db: Queryable, accountId: string): Promise<void> {
  await db.query(`DELETE FROM fc_transaction_cursors WHERE account_id = $1`, [accountId]);
}

/**
 * Moves the account's cursor to the refresh a sync covered, only forward in Stripe's order (the refresh's
 * `last_attempted_at`, then its id): a late event of an older refresh never moves it back. Returns whether it moved.
 */
export async function advanceTransactionCursor(db: Queryable, accountId: string, refresh: { id: string; lastAttemptedAt: number }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO fc_transaction_cursors (account_id, transaction_refresh_id, refresh_attempted_at) VALUES ($1, $2, $3)
     ON CONFLICT (account_id) DO UPDATE SET transaction_refresh_id = EXCLUDED.transaction_refresh_id,
        refresh_attempted_at = EXCLUDED.refresh_attempted_at, updated_at = now()
     WHERE fc_transaction_cursors.transaction_refresh_id = EXCLUDED.transaction_refresh_id
        OR fc_refresh_is_newer(fc_transaction_cursors.refresh_attempted_at, fc_transaction_cursors.transaction_refresh_id,
                               EXCLUDED.refresh_attempted_at, EXCLUDED.transaction_refresh_id)`,
    [accountId, refresh.id, toTimestamp(refresh.lastAttemptedAt)],
  );
  return (rowCount ?? 0) > 0;
}
