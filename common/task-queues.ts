// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
// Stripe-calling activities get their own task queue so one server-side rate limit
// (maxTaskQueueActivitiesPerSecond) covers every worker's Stripe traffic together.
export function stripeTaskQueue(taskQueue: string): string {
  return `${taskQueue}-stripe`;
}
