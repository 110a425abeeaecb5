import { FEATURE_PERMISSION } from '../../common/features';
import type { StoredBalance } from '../../domain/balance-decision';
import type { Queryable } from '../pool';

/** What a balance check reads: the account's permissions and its latest stored balance. */
export interface StoredBalanceState {
  /** The account's status as last seen from Stripe (fc_accounts.status). */
  status: 'active' | 'inactive' | 'disconnected';
  hasBalancePermission: boolean;
  /** When fc-refresh last stored a balance result (fc_accounts.balance_refreshed_at). */
  refreshedAt: Date | null;
  /** The latest balance; null before any refresh, or when Stripe reported `balance: null`. */
  balance: StoredBalance | null;
}

interface BalanceRow {
  currency: string;
  type: 'cash' | 'credit';
  current: number | null;
  cash_available: number | null;
  credit_used: number | null;
}

/** The account's latest balance (the fc_balances rows at fc_accounts.balance_as_of); null for an unknown account. */
export async function loadStoredBalance(db: Queryable, accountId: string): Promise<StoredBalanceState | null> {
  const account = await db.query<{ status: StoredBalanceState['status']; permissions: string[]; balance_refreshed_at: Date | null; balance_as_of: Date | null }>(
    `SELECT status, permissions, balance_refreshed_at, balance_as_of FROM fc_accounts WHERE id = $1`,
    [accountId],
  );
  const row = account.rows[0];
  if (!row) return null;
  const state = { status: row.status, hasBalancePermission: row.permissions.includes(FEATURE_PERMISSION.balance), refreshedAt: row.balance_refreshed_at };
  if (!row.balance_as_of) return { ...state, balance: null };
  const { rows } = await db.query<BalanceRow>(
    `SELECT currency, type, current, cash_available, credit_used FROM fc_balances WHERE account_id = $1 AND as_of = $2`,
    [accountId, row.balance_as_of],
  );
  return { ...state, balance: toStoredBalance(Math.floor(row.balance_as_of.getTime() / 1000), rows) };
}

/** Rebuilds Stripe's per-currency maps; a map no currency reported (e.g. `available` null) stays null. */
function toStoredBalance(asOf: number, rows: BalanceRow[]): StoredBalance {
  const current: Record<string, number> = {};
  const cashAvailable: Record<string, number> = {};
  const creditUsed: Record<string, number> = {};
  for (const row of rows) {
    if (row.current !== null) current[row.currency] = row.current;
    if (row.cash_available !== null) cashAvailable[row.currency] = row.cash_available;
    if (row.credit_used !== null) creditUsed[row.currency] = row.credit_used;
  }
  return {
    type: rows[0]?.type ?? 'cash',
    asOf,
    current,
    cashAvailable: Object.keys(cashAvailable).length > 0 ? cashAvailable : null,
    creditUsed: Object.keys(creditUsed).length > 0 ? creditUsed : null,
  };
}
