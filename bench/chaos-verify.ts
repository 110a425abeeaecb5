// After the chaos: each refresh's rows in Postgres against the simulator's ground truth, and each account's
// initiations against the one its refresh should have made.
import type pg from 'pg';
import type { Feature } from '../common/features';
import type { SimulatorControl } from '../simulator/control-client';
import type { CountersSnapshot, GroundTruth } from '../simulator/control-types';

export interface RowCheck {
  /** Rows Stripe has that Postgres lacks (or holds with other values). */
  missing: number;
  /** Rows Postgres holds beyond Stripe's: a second copy, an extra snapshot, an unknown id. */
  doubled: number;
  problems: string[];
}

export async function checkRows(pool: pg.Pool, control: SimulatorControl, accountId: string, feature: Feature): Promise<RowCheck> {
  const truth = await control.groundTruth(accountId);
  if (feature === 'balance') return checkBalance(pool, truth);
  if (feature === 'ownership') return checkOwnership(pool, truth);
  return checkTransactions(pool, truth);
}

/** Initiations beyond the one a requested refresh makes. */
export function extraInitiations(counters: CountersSnapshot, accountId: string, feature: Feature): number {
  return Math.max(0, (counters.refreshes[accountId]?.[feature].initiated ?? 0) - 1);
}

async function checkBalance(pool: pg.Pool, truth: GroundTruth): Promise<RowCheck> {
  const balance = truth.account.balance;
  const { rows } = await pool.query<{ currency: string; as_of: number; current: number | null; cash_available: number | null; credit_used: number | null }>(
    `SELECT currency, extract(epoch FROM as_of)::bigint AS as_of, current, cash_available, credit_used FROM fc_balances WHERE account_id = $1`,
    [truth.account.id],
  );
  const check: RowCheck = { missing: 0, doubled: 0, problems: [] };
  const expected = balance
    ? Object.entries(balance.current).map(([currency, current]) => ({
        currency,
        current,
        cashAvailable: balance.type === 'cash' ? (balance.cash.available?.[currency] ?? null) : null,
        creditUsed: balance.type === 'credit' ? (balance.credit.used?.[currency] ?? null) : null,
      }))
    : [];
  for (const want of expected) {
    const found = rows.filter((row) => row.currency === want.currency && Number(row.as_of) === balance?.as_of);
    const same = found.some((row) => row.current === want.current && row.cash_available === want.cashAvailable && row.credit_used === want.creditUsed);
    if (!same) {
      check.missing += 1;
      check.problems.push(`balance ${want.currency} as of ${balance?.as_of} missing or different`);
    }
  }
  check.doubled = Math.max(0, rows.length - (expected.length - check.missing));
  if (check.doubled > 0) check.problems.push(`${rows.length} balance rows for ${expected.length} currencies`);
  return check;
}

async function checkOwnership(pool: pg.Pool, truth: GroundTruth): Promise<RowCheck> {
  const { rows } = await pool.query<{ id: string; ownership_id: string; name: string | null; email: string | null }>(
    `SELECT id, ownership_id, name, email FROM fc_owners WHERE account_id = $1`,
    [truth.account.id],
  );
  const check: RowCheck = { missing: 0, doubled: 0, problems: [] };
  const stored = new Map(rows.map((row) => [row.id, row]));
  for (const owner of truth.owners) {
    const row = stored.get(owner.id);
    if (!row || row.ownership_id !== owner.ownership || row.name !== owner.name || row.email !== owner.email) check.missing += 1;
  }
  const known = new Set(truth.owners.map((owner) => owner.id));
  check.doubled = rows.filter((row) => !known.has(row.id)).length;
  const pointer = await pool.query<{ ownership_id: string | null }>(`SELECT ownership_id FROM fc_accounts WHERE id = $1`, [truth.account.id]);
  if ((pointer.rows[0]?.ownership_id ?? null) !== (truth.ownership?.id ?? null)) {
    check.missing += 1;
    check.problems.push(`fc_accounts.ownership_id ${pointer.rows[0]?.ownership_id} ≠ ${truth.ownership?.id}`);
  }
  if (check.missing > 0 || check.doubled > 0) check.problems.push(`owners: ${check.missing} missing, ${check.doubled} extra of ${truth.owners.length}`);
  return check;
}

async function checkTransactions(pool: pg.Pool, truth: GroundTruth): Promise<RowCheck> {
  const { rows } = await pool.query<{ id: string; amount: number; status: string; updated: number }>(
    `SELECT id, amount, status, extract(epoch FROM stripe_updated)::bigint AS updated FROM fc_transactions WHERE account_id = $1`,
    [truth.account.id],
  );
  const check: RowCheck = { missing: 0, doubled: 0, problems: [] };
  const stored = new Map(rows.map((row) => [row.id, row]));
  for (const transaction of truth.transactions) {
    const row = stored.get(transaction.id);
    if (!row || row.amount !== transaction.amount || row.status !== transaction.status || Number(row.updated) !== transaction.updated) check.missing += 1;
  }
  const known = new Set(truth.transactions.map((transaction) => transaction.id));
  check.doubled = rows.filter((row) => !known.has(row.id)).length;
  const cursor = await pool.query<{ transaction_refresh_id: string }>(`SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1`, [truth.account.id]);
  if (cursor.rows[0]?.transaction_refresh_id !== truth.account.transaction_refresh?.id) {
    check.missing += 1;
    check.problems.push(`cursor ${cursor.rows[0]?.transaction_refresh_id} ≠ ${truth.account.transaction_refresh?.id}`);
  }
  if (check.missing > 0 || check.doubled > 0) check.problems.push(`transactions: ${check.missing} missing, ${check.doubled} extra of ${truth.transactions.length}`);
  return check;
}
