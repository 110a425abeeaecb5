import type { Queryable } from '../pool';
import { toTimestamp } from '../pool';

/** One balance check as recorded: the decision, the figures it compared, and the data's age and source. */
export interface BalanceCheckRecord {
  id: string;
  workflowId: string;
  accountId: string | null;
  paymentIntentId: string | null;
  paymentMethodId: string | null;
  amount: number;
  currency: string;
  outcome: string;
  decision: 'sufficient' | 'insufficient' | 'unknown';
  basis: 'cash_available' | 'current' | 'credit' | null;
  reason: string;
  message: string;
  weaker: boolean;
  comparedAmount: number | null;
  balanceType: 'cash' | 'credit' | null;
  /** Unix seconds. */
  balanceAsOf: number | null;
  balanceRefreshedAt: number | null;
  ageSeconds: number | null;
  maxAgeSeconds: number;
  dataSource: 'stored' | 'refreshed' | null;
  fresh: boolean | null;
  staleReason: string | null;
  refresh: object | null;
}

/**
 * Keyed by the check id. A retried activity rewrites the row with what it decided this time, so the row
 * always matches the result the workflow returned.
 */
export async function upsertBalanceCheck(db: Queryable, record: BalanceCheckRecord): Promise<void> {
  await db.query(
    `INSERT INTO fc_balance_checks (id, workflow_id, account_id, payment_intent_id, payment_method_id, amount, currency,
        outcome, decision, basis, reason, message, weaker, compared_amount, balance_type, balance_as_of,
        balance_refreshed_at, age_seconds, max_age_seconds, data_source, fresh, stale_reason, refresh)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23)
     ON CONFLICT (id) DO UPDATE SET
        account_id = EXCLUDED.account_id, payment_method_id = EXCLUDED.payment_method_id, outcome = EXCLUDED.outcome,
        decision = EXCLUDED.decision, basis = EXCLUDED.basis, reason = EXCLUDED.reason, message = EXCLUDED.message,
        weaker = EXCLUDED.weaker, compared_amount = EXCLUDED.compared_amount, balance_type = EXCLUDED.balance_type,
        balance_as_of = EXCLUDED.balance_as_of, balance_refreshed_at = EXCLUDED.balance_refreshed_at,
        age_seconds = EXCLUDED.age_seconds, data_source = EXCLUDED.data_source, fresh = EXCLUDED.fresh,
        stale_reason = EXCLUDED.stale_reason, refresh = EXCLUDED.refresh`,
    [
      record.id, record.workflowId, record.accountId, record.paymentIntentId, record.paymentMethodId, record.amount,
      record.currency, record.outcome, record.decision, record.basis, record.reason, record.message, record.weaker,
      record.comparedAmount, record.balanceType, toTimestamp(record.balanceAsOf), toTimestamp(record.balanceRefreshedAt),
      record.ageSeconds, record.maxAgeSeconds, record.dataSource, record.fresh, record.staleReason,
      record.refresh ? JSON.stringify(record.refresh) : null,
    ],
  );
}
