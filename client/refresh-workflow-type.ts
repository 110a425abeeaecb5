import type { RefreshResult, RefreshWorkflowInput } from '../workflows/definitions';

// Callers start the refresh workflow by its type name so they never import the workflow implementation
// (and with it the workflow sandbox's code) into a service process.
export const REFRESH_WORKFLOW_TYPE = 'refreshWorkflow';

/** The signature of workflows/refresh.ts `refreshWorkflow`, for typed handles. */
export type RefreshWorkflow = (input: RefreshWorkflowInput) => Promise<RefreshResult>;
