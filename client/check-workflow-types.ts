import type { BalanceCheckResult, CheckBalanceInput } from '../workflows/balance-check-definitions';
import type { OwnershipCheckResult, VerifyOwnershipInput } from '../workflows/ownership-check-definitions';

// Callers start the check workflows by type name, never importing workflow code into a service process.
export const CHECK_BALANCE_WORKFLOW_TYPE = 'checkBalanceWorkflow';
export const VERIFY_OWNERSHIP_WORKFLOW_TYPE = 'verifyOwnershipWorkflow';

export type CheckBalanceWorkflow = (input: CheckBalanceInput) => Promise<BalanceCheckResult>;
export type VerifyOwnershipWorkflow = (input: VerifyOwnershipInput) => Promise<OwnershipCheckResult>;
