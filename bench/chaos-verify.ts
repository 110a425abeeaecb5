// After the chaos: what Postgres holds for each account against the simulator's ground truth, which is the data of
// the account's newest refresh of each feature; and each account's refresh POSTs against the refreshes asked for.
import type pg from 'pg';
import type { Feature } from '../common/features';
import type { SimulatorControl } from '../simulator/control-client';
import type { CountersSnapshot, GroundTruth } from '../simulator/control-types';

export interface StateCheck {
  /** Rows or pointers Stripe's newest refresh has that Postgres lacks, or holds with other values (older data). */
  wrong: number;
  /** Rows Postgres holds that Stripe does not have: a second copy, an unknown id. */
  extra: number;
  problems: string[];
}

export async function checkNewestState(pool: pg.Pool, control: SimulatorControl, accountId: string, feature: Feature): Promise<StateCheck> {
  const truth = await control.groundTruth(accountId);
  if (feature === 'balance') return checkBalance(pool, truth);
  if (feature === 'ownership') return checkOwnership(pool, truth);
  return checkTransactions(pool, truth);
}

const REFRESH_POST = 'POST /v1/financial_connections/accounts/:id/refresh';

export interface RefreshPosts {
  /** POSTs Stripe acted on (initiated, or answered "not initiated"), beyond one per requested initiation. */
  extra: number;
  /** Every refresh POST that reached the simulator for the account, injected failures and idempotent replays included. */
  received: number;
  initiated: number;
  notInitiated: number;
}

/**
 * `expected`: the initiations the run asked for (each requested refresh, plus the re-initiation a planned failed
 * refresh calls for). A POST Stripe rejected with an injected 429/500 before acting, or answered from its
 * idempotency store, is a retry the product owes; every other one beyond `expected` is counted.
 */
export function refreshPosts(counters: CountersSnapshot, accountId: string, feature: Feature, expected: number): RefreshPosts {
  const counts = counters.refreshes[accountId]?.[feature];
  const initiated = counts?.initiated ?? 0;
  const notInitiated = counts?.notInitiated ?? 0;
  return {
    extra: Math.max(0, initiated + notInitiated - expected),
    received: counters.callsByAccount[accountId]?.[REFRESH_POST] ?? 0,
    initiated,
    notInitiated,
  };
}

async function checkBalance(pool: pg.Pool, truth: GroundTruth): Promise<StateCheck> {
  const check: StateCheck = { wrong: 0, extra: 0, problems: [] };
  const balance = truth.account.balance;
  const pointer = await pool.query<{ as_of: number | null }>(`SELECT extract(epoch FROM balance_as_of)::bigint AS as_of FROM fc_accounts WHERE id = $1`, [truth.account.id]);
  const storedAsOf = pointer.rows[0]?.as_of === null || pointer.rows[0]?.as_of === undefined ? null : Number(pointer.rows[0].as_of);
  if (storedAsOf !== (balance?.as_of ?? null)) {
    check.wrong += 1;
    check.problems.push(`fc_accounts.balance_as_of ${storedAsOf} ≠ newest refresh's as_of ${balance?.as_of ?? null}`);
  }
  if (!balance) return check;
  const { rows } = await pool.query<{ currency: string; current: number | null; cash_available: number | null; credit_used: number | null }>(
    `SELECT currency, current, cash_available, credit_used FROM fc_balances WHERE account_id = $1 AND as_of = to_timestamp($2)`,
    [truth.account.id, balance.as_of],
  );
  for (const [currency, current] of Object.entries(balance.current)) {
    const want = {
      current,
      cash_available: balance.type === 'cash' ? (balance.cash.available?.[currency] ?? null) : null,
      credit_used: balance.type === 'credit' ? (balance.credit.used?.[currency] ?? null) : null,
    };
    const row = rows.find((r) => r.currency === currency);
    if (!row || Number(row.current) !== want.current || nullableNumber(row.cash_available) !== want.cash_available || nullableNumber(row.credit_used) !== want.credit_used) {
      check.wrong += 1;
      check.problems.push(`balance ${currency} as of ${balance.as_of}: stored ${JSON.stringify(row ?? null)}, newest refresh ${JSON.stringify(want)}`);
    }
  }
  check.extra = rows.filter((row) => !(row.currency in balance.current)).length;
  return check;
}

const nullableNumber = (value: number | string | null): number | null => (value === null ? null : Number(value));

async function checkOwnership(pool: pg.Pool, truth: GroundTruth): Promise<StateCheck> {
  const check: StateCheck = { wrong: 0, extra: 0, problems: [] };
  const pointer = await pool.query<{ ownership_id: string | null }>(`SELECT ownership_id FROM fc_accounts WHERE id = $1`, [truth.account.id]);
  const storedId = pointer.rows[0]?.ownership_id ?? null;
  if (storedId !== (truth.ownership?.id ?? null)) {
    check.wrong += 1;
    check.problems.push(`fc_accounts.ownership_id ${storedId} ≠ newest refresh's ${truth.ownership?.id ?? null}`);
  }
  // The current owners are the rows of the current ownership; older ownerships' rows are history.
  const { rows } = await pool.query<{ id: string; name: string | null; email: string | null }>(
    `SELECT o.id, o.name, o.email FROM fc_owners o JOIN fc_accounts a ON a.id = o.account_id AND a.ownership_id = o.ownership_id WHERE o.account_id = $1`,
    [truth.account.id],
  );
  const stored = new Map(rows.map((row) => [row.id, row]));
  let ownersWrong = 0;
  for (const owner of truth.owners) {
    const row = stored.get(owner.id);
    if (!row || row.name !== owner.name || row.email !== owner.email) ownersWrong += 1;
  }
  const known = new Set(truth.owners.map((owner) => owner.id));
  check.extra = rows.filter((row) => !known.has(row.id)).length;
  check.wrong += ownersWrong;
  if (ownersWrong > 0 || check.extra > 0) check.problems.push(`current owners: ${ownersWrong} of ${truth.owners.length} missing or different, ${check.extra} not in the newest ownership`);
  return check;
}

async function checkTransactions(pool: pg.Pool, truth: GroundTruth): Promise<StateCheck> {
  const check: StateCheck = { wrong: 0, extra: 0, problems: [] };
  const { rows } = await pool.query<{ id: string; amount: string; status: string; updated: string; refresh: string }>(
    `SELECT id, amount, status, extract(epoch FROM stripe_updated)::bigint AS updated, transaction_refresh_id AS refresh FROM fc_transactions WHERE account_id = $1`,
    [truth.account.id],
  );
  const stored = new Map(rows.map((row) => [row.id, row]));
  let example: string | undefined;
  for (const transaction of truth.transactions) {
    const row = stored.get(transaction.id);
    if (!row || Number(row.amount) !== transaction.amount || row.status !== transaction.status || Number(row.updated) !== transaction.updated || row.refresh !== transaction.transaction_refresh) {
      check.wrong += 1;
      example ??= `${transaction.id}: stored ${row ? `${row.status} updated ${row.updated} (${row.refresh})` : 'nothing'}, Stripe ${transaction.status} updated ${transaction.updated} (${transaction.transaction_refresh})`;
    }
  }
  const known = new Set(truth.transactions.map((transaction) => transaction.id));
  check.extra = rows.filter((row) => !known.has(row.id)).length;
  if (check.wrong > 0 || check.extra > 0) check.problems.push(`transactions: ${check.wrong} of ${truth.transactions.length} missing or different${example ? ` (e.g. ${example})` : ''}, ${check.extra} unknown`);
  const cursor = await pool.query<{ transaction_refresh_id: string }>(`SELECT transaction_refresh_id FROM fc_transaction_cursors WHERE account_id = $1`, [truth.account.id]);
  const newest = truth.account.transaction_refresh?.id ?? null;
  if ((cursor.rows[0]?.transaction_refresh_id ?? null) !== newest) {
    check.wrong += 1;
    const position = truth.transactionRefreshes.findIndex((refresh) => refresh.id === cursor.rows[0]?.transaction_refresh_id);
    check.problems.push(`cursor ${cursor.rows[0]?.transaction_refresh_id ?? null} (refresh ${position + 1} of ${truth.transactionRefreshes.length}) ≠ newest ${newest}`);
  }
  return check;
}
