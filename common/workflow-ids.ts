// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
import type { Feature } from './features';

// Readable, deterministic IDs: one refresh workflow per (feature, account) so duplicate requests join it.
export function refreshWorkflowId(feature: Feature, accountId: string): string {
  return `fc-refresh/${feature}/${accountId}`;
}

export function accountWorkflowId(accountId: string): string {
  return `fc-account/${accountId}`;
}

/** The workflow that sends a change feed consumer its "changes available" notifications. */
export function consumerWorkflowId(consumer: string): string {
  return `fc-consumer/${consumer}`;
}
