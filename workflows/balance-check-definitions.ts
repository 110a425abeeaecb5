// The balance check workflow's contract: input and result, shared by the workflow, its activities and the
// client. Balance figures never appear here: they stay in Postgres (fc_balance_checks), like every balance.
import type { BalanceDecision, BalanceDecisionReason, BalanceFreshness } from '../domain/balance-decision';
import type { DataSource, FreshDataStatus, RefreshAttempt } from './check-definitions';

/** What the caller is about to debit: the FC account itself, or the ACH payment that will debit it. */
export type BalanceCheckTarget =
  | { type: 'account'; id: string }
  | { type: 'payment_intent'; id: string }
  | { type: 'payment_method'; id: string };

export interface CheckBalanceInput {
  /** Chosen by the client; names the fc_balance_checks row and ends the workflow id. */
  checkId: string;
  target: BalanceCheckTarget;
  /** Debit amount, positive integer in minor units. */
  amount: number;
  /** Lowercase ISO 4217 code. */
  currency: string;
  /** A stored balance older than this (by refresh completion and by `as_of`) is refreshed first. */
  maxAgeSeconds: number;
  /** How long the check may wait for a refresh before deciding on what is stored. */
  deadlineSeconds: number;
}

/**
 * Why a payment could not be checked against an FC account. A bank account entered by hand has no FC account:
 * "If you allow manual entry fallback and the user manually entered their account information, this field is null."
 */
export type PaymentResolutionFailure =
  | 'manual_entry_no_fc_account'
  | 'payment_intent_not_found'
  | 'payment_method_not_found'
  | 'payment_method_missing'
  | 'not_us_bank_account';

export type BalanceCheckOutcome = 'decided' | PaymentResolutionFailure | 'account_not_found';

/** Why the decision rests on data that is not fresh: the refresh's fate, or, after one, the data's own age. */
export type StaleReason = Exclude<FreshDataStatus, 'refreshed'> | Exclude<BalanceFreshness['reason'], 'fresh'>;

/** What the decision rests on: which figure, how old, and where it came from. No amounts. */
export interface BalanceCheckBasis {
  figure: BalanceDecision['basis'];
  /** `current` stood in for a missing `available`: it ignores pending transfers and holds. */
  weaker: boolean;
  balanceType: 'cash' | 'credit' | null;
  /** `balance.as_of`, unix seconds: when the institution calculated the balance. */
  asOf: number | null;
  /** When fc-refresh stored that balance, unix seconds. */
  refreshedAt: number | null;
  /** Age of the older of the two, seconds. */
  ageSeconds: number | null;
  data: DataSource;
  fresh: boolean;
  stale: boolean;
  staleReason: StaleReason | null;
}

export interface BalanceCheckResult {
  checkId: string;
  workflowId: string;
  outcome: BalanceCheckOutcome;
  accountId: string | null;
  paymentIntentId: string | null;
  paymentMethodId: string | null;
  amount: number;
  currency: string;
  maxAgeSeconds: number;
  decision: BalanceDecision['decision'];
  reason: BalanceDecisionReason | Exclude<BalanceCheckOutcome, 'decided'>;
  message: string;
  /** Null when no balance was looked at (the payment did not resolve to an account). */
  basis: BalanceCheckBasis | null;
  /** Null when no refresh was needed or possible before looking. */
  refresh: RefreshAttempt | null;
}
