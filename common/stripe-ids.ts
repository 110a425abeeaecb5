// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).

/**
 * A Financial Connections account id as Stripe issues it (fca_ and base62), bounded so it always fits a workflow id
 * and an index key: what the client accepts from callers and the webhook receiver accepts from events.
 */
const FC_ACCOUNT_ID = /^fca_[A-Za-z0-9]{1,250}$/;

export function isFcAccountId(value: string): boolean {
  return FC_ACCOUNT_ID.test(value);
}
