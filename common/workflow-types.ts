// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
// Every workflow's type name and signature. Callers (the client, the webhook receiver, parent workflows, tests)
// start workflows by name so no workflow implementation enters their process; the signatures are the workflow
// functions' own types (`import type`, erased at build), so a changed workflow breaks its callers at compile time.
import type * as Workflows from '../workflows';
import type { accountWorkflow } from '../workflows/account';
import type { checkBalanceWorkflow } from '../workflows/check-balance';
import type { consumerNotificationsWorkflow } from '../workflows/consumer-notifications';
import type { dailySyncWorkflow } from '../workflows/daily-sync';
import type { pruneRetainedDataWorkflow } from '../workflows/prune-retained-data';
import type { refreshWorkflow } from '../workflows/refresh';
import type { syncBatchWorkflow } from '../workflows/sync-batch';
import type { verifyOwnershipWorkflow } from '../workflows/verify-ownership';

/** A name the worker registers (workflows/index.ts): a renamed workflow fails to compile here. */
type WorkflowTypeName = keyof typeof Workflows;

export const REFRESH_WORKFLOW_TYPE = 'refreshWorkflow' satisfies WorkflowTypeName;
export const ACCOUNT_WORKFLOW_TYPE = 'accountWorkflow' satisfies WorkflowTypeName;
export const DAILY_SYNC_WORKFLOW_TYPE = 'dailySyncWorkflow' satisfies WorkflowTypeName;
export const SYNC_BATCH_WORKFLOW_TYPE = 'syncBatchWorkflow' satisfies WorkflowTypeName;
export const CHECK_BALANCE_WORKFLOW_TYPE = 'checkBalanceWorkflow' satisfies WorkflowTypeName;
export const VERIFY_OWNERSHIP_WORKFLOW_TYPE = 'verifyOwnershipWorkflow' satisfies WorkflowTypeName;
export const CONSUMER_NOTIFICATIONS_WORKFLOW_TYPE = 'consumerNotificationsWorkflow' satisfies WorkflowTypeName;
export const PRUNE_RETAINED_DATA_WORKFLOW_TYPE = 'pruneRetainedDataWorkflow' satisfies WorkflowTypeName;

export type RefreshWorkflow = typeof refreshWorkflow;
export type AccountWorkflow = typeof accountWorkflow;
export type DailySyncWorkflow = typeof dailySyncWorkflow;
export type SyncBatchWorkflow = typeof syncBatchWorkflow;
export type CheckBalanceWorkflow = typeof checkBalanceWorkflow;
export type VerifyOwnershipWorkflow = typeof verifyOwnershipWorkflow;
export type ConsumerNotificationsWorkflow = typeof consumerNotificationsWorkflow;
export type PruneRetainedDataWorkflow = typeof pruneRetainedDataWorkflow;
