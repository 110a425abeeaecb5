import { assessBalanceFreshness, decideSufficientFunds, type BalanceFreshness } from '../domain/balance-decision';
import { upsertBalanceCheck } from '../db/queries/balance-checks';
import { loadStoredBalance } from '../db/queries/stored-balance';
import type { BalanceCheckBasis, BalanceCheckResult, PaymentResolutionFailure, StaleReason } from '../workflows/balance-check-definitions';
import type { RefreshAttempt } from '../workflows/check-definitions';
import type { ActivityDeps } from './deps';

// The balance check's Postgres side. Balance figures are read, compared and recorded here; only the decision,
// its reason and timestamps go back to the workflow.

export interface StoredBalanceAssessment {
  /** Whether fc-refresh has a snapshot of the account at all. */
  known: boolean;
  hasBalancePermission: boolean;
  /** Whether the stored state answers the check without a refresh: a fresh balance, or an account no refresh can change (inactive, disconnected). */
  answersNow: boolean;
}

interface CheckRequest {
  checkId: string;
  workflowId: string;
  paymentIntentId: string | null;
  paymentMethodId: string | null;
  amount: number;
  currency: string;
  maxAgeSeconds: number;
}

export interface DecideBalanceCheckInput extends CheckRequest {
  accountId: string;
  /** The refresh the check ran or joined; null when the stored balance was fresh enough to use as it is. */
  refresh: RefreshAttempt | null;
}

export interface RecordUnresolvedInput extends CheckRequest {
  accountId: string | null;
  outcome: PaymentResolutionFailure | 'account_not_found';
  refresh: RefreshAttempt | null;
}

export type BalanceCheckDecision = Pick<BalanceCheckResult, 'decision' | 'reason' | 'message'> & { basis: BalanceCheckBasis };

const UNRESOLVED_MESSAGES: Record<RecordUnresolvedInput['outcome'], string> = {
  manual_entry_no_fc_account: 'The bank account was entered manually: it has no Financial Connections account, so no balance can be checked.',
  payment_intent_not_found: 'No such PaymentIntent.',
  payment_method_not_found: 'No such PaymentMethod.',
  payment_method_missing: 'The PaymentIntent has no payment method attached yet.',
  not_us_bank_account: 'The payment method is not a US bank account (ACH Direct Debit).',
  account_not_found: 'No such Financial Connections account.',
};

/** The columns every recorded check takes from its request, decided or not. */
function requestColumns(input: CheckRequest & { accountId: string | null; refresh: RefreshAttempt | null }) {
  return {
    id: input.checkId,
    workflowId: input.workflowId,
    accountId: input.accountId,
    paymentIntentId: input.paymentIntentId,
    paymentMethodId: input.paymentMethodId,
    amount: input.amount,
    currency: input.currency,
    maxAgeSeconds: input.maxAgeSeconds,
    refresh: input.refresh,
  };
}

const unixSeconds = (date: Date | null): number | null => (date === null ? null : Math.floor(date.getTime() / 1000));
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Not fresh without a successful refresh: the refresh's fate says why. After one, the data's own age does. */
function staleReasonOf(freshness: BalanceFreshness, refresh: RefreshAttempt | null): StaleReason | null {
  if (freshness.reason === 'fresh') return null;
  if (refresh && refresh.status !== 'refreshed') return refresh.status;
  return freshness.reason;
}

export function createBalanceCheckActivities({ pool }: Pick<ActivityDeps, 'pool'>) {
  return {
    async assessStoredBalance(input: { accountId: string; maxAgeSeconds: number }): Promise<StoredBalanceAssessment> {
      const stored = await loadStoredBalance(pool, input.accountId);
      if (!stored) return { known: false, hasBalancePermission: false, answersNow: false };
      const freshness = assessBalanceFreshness({
        completedAt: unixSeconds(stored.refreshedAt),
        asOf: stored.balance?.asOf ?? null,
        now: nowSeconds(),
        maxAgeSeconds: input.maxAgeSeconds,
      });
      return { known: true, hasBalancePermission: stored.hasBalancePermission, answersNow: freshness.fresh || stored.status !== 'active' };
    },

    /** Decides on the latest stored balance (domain/balance-decision.ts) and records the check. */
    async decideBalanceCheck(input: DecideBalanceCheckInput): Promise<BalanceCheckDecision> {
      const stored = await loadStoredBalance(pool, input.accountId);
      const balance = stored?.balance ?? null;
      // No snapshot at all can only follow a race with a deleted row: decided as "no balance", not as a permission problem.
      const decided = decideSufficientFunds({ accountStatus: stored?.status, balance, amount: input.amount, currency: input.currency, hasBalancePermission: stored?.hasBalancePermission ?? true });
      const refreshedAt = unixSeconds(stored?.refreshedAt ?? null);
      const freshness = assessBalanceFreshness({ completedAt: refreshedAt, asOf: balance?.asOf ?? null, now: nowSeconds(), maxAgeSeconds: input.maxAgeSeconds });
      const refreshed = input.refresh?.status === 'refreshed';
      const basis: BalanceCheckBasis = {
        figure: decided.basis,
        weaker: decided.weaker,
        balanceType: balance?.type ?? null,
        asOf: balance?.asOf ?? null,
        refreshedAt,
        ageSeconds: freshness.ageSeconds,
        data: refreshed ? 'refreshed' : 'stored',
        fresh: freshness.fresh,
        stale: !freshness.fresh,
        staleReason: staleReasonOf(freshness, input.refresh),
      };
      await upsertBalanceCheck(pool, {
        ...requestColumns(input),
        outcome: 'decided',
        decision: decided.decision,
        basis: decided.basis,
        reason: decided.reason,
        message: decided.message,
        weaker: decided.weaker,
        comparedAmount: decided.availableAmount,
        balanceType: basis.balanceType,
        balanceAsOf: basis.asOf,
        balanceRefreshedAt: refreshedAt,
        ageSeconds: freshness.ageSeconds,
        dataSource: basis.data,
        fresh: freshness.fresh,
        staleReason: basis.staleReason,
      });
      return { decision: decided.decision, reason: decided.reason, message: decided.message, basis };
    },

    /** Records a check that never reached a balance (the payment named no FC account); returns its message. */
    async recordUnresolvedBalanceCheck(input: RecordUnresolvedInput): Promise<{ message: string }> {
      const message = UNRESOLVED_MESSAGES[input.outcome];
      await upsertBalanceCheck(pool, {
        ...requestColumns(input),
        outcome: input.outcome,
        decision: 'unknown',
        basis: null,
        reason: input.outcome,
        message,
        weaker: false,
        comparedAmount: null,
        balanceType: null,
        balanceAsOf: null,
        balanceRefreshedAt: null,
        ageSeconds: null,
        dataSource: null,
        fresh: null,
        staleReason: null,
      });
      return { message };
    },
  };
}
