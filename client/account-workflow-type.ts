import type { AccountState, AccountWorkflowInput } from '../workflows/account-definitions';

// As for refreshes: callers name the account workflow by type, so no workflow implementation enters a service process.
export const ACCOUNT_WORKFLOW_TYPE = 'accountWorkflow';

/** The signature of workflows/account.ts `accountWorkflow`, for typed handles. */
export type AccountWorkflow = (input: AccountWorkflowInput) => Promise<AccountState>;
