// Pre-debit balance checks and ownership verification: the part of the client other services call before an ACH debit.
export { checkBalance, type BalanceCheckSubject, type CheckBalanceOptions } from './check-balance';
export { DEFAULT_CHECK_DEADLINE_SECONDS } from './check-timing';
export { verifyOwnership, type VerifyOwnershipOptions } from './verify-ownership';
export { CheckFailedError } from './check-errors';
export type { BalanceCheckBasis, BalanceCheckOutcome, BalanceCheckResult, PaymentResolutionFailure, StaleReason } from '../workflows/balance-check-definitions';
export type { OwnershipCheckBasis, OwnershipCheckResult } from '../workflows/ownership-check-definitions';
export type { DataSource, FreshDataStatus, RefreshAttempt } from '../workflows/check-definitions';
