import type { FcAccount } from '../../common/stripe-account';
import type { Queryable } from '../pool';
import { toTimestamp } from '../pool';

/** What storing `balance` reports: how many currencies it holds, and its as_of. */
export const balanceCounts = (balance: FcAccount['balance']): { currencies: number; asOf: number | null } => ({
  currencies: balance ? Object.keys(balance.current ?? {}).length : 0,
  asOf: balance?.as_of ?? null,
});

/**
 * Appends the balance to the history (one row per currency) and points the account at it.
 * Idempotent: the same `as_of` is stored once. The pointer moves only for a refresh (`refreshAttemptedAt`, Stripe's
 * `last_attempted_at`) not older than the one it came from, never to an older `as_of`, and never on a disconnected
 * account. A null balance (institution gave none) is recorded on the account as such.
 */
export async function storeBalance(db: Queryable, accountId: string, balance: FcAccount['balance'], refreshAttemptedAt: number): Promise<{ currencies: number; asOf: number | null }> {
  const pointerGuard = `status <> 'disconnected'
        AND (balance_refresh_attempted_at IS NULL OR balance_refresh_attempted_at <= $2)`;
  if (!balance) {
    await db.query(
      `UPDATE fc_accounts SET balance_refreshed_at = now(), balance_refresh_attempted_at = $2, balance_as_of = NULL, updated_at = now()
        WHERE id = $1 AND ${pointerGuard}`,
      [accountId, toTimestamp(refreshAttemptedAt)],
    );
    return balanceCounts(balance);
  }
  const currencies = Object.keys(balance.current ?? {});
  const type = balance.type === 'credit' ? 'credit' : 'cash';
  await db.query(
    `INSERT INTO fc_balances (account_id, as_of, currency, type, current, cash_available, credit_used)
     SELECT $1, $2, c.currency, $3, c.current, c.cash_available, c.credit_used
       FROM unnest($4::text[], $5::bigint[], $6::bigint[], $7::bigint[]) AS c(currency, current, cash_available, credit_used)
     ON CONFLICT (account_id, as_of, currency) DO NOTHING`,
    [
      accountId,
      toTimestamp(balance.as_of),
      type,
      currencies,
      currencies.map((currency) => balance.current[currency] ?? null),
      currencies.map((currency) => balance.cash?.available?.[currency] ?? null),
      currencies.map((currency) => balance.credit?.used?.[currency] ?? null),
    ],
  );
  await db.query(
    `UPDATE fc_accounts SET balance_refreshed_at = now(), balance_refresh_attempted_at = $2, balance_as_of = $3, updated_at = now()
      WHERE id = $1 AND ${pointerGuard} AND (balance_as_of IS NULL OR balance_as_of <= $3)`,
    [accountId, toTimestamp(refreshAttemptedAt), toTimestamp(balance.as_of)],
  );
  return balanceCounts(balance);
}
