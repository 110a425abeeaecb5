// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
// Stripe-calling activities get their own task queue so one server-side limit (maxTaskQueueActivitiesPerSecond)
// caps their starts across every worker together; the requests themselves are paced by the fleet request budget.
export function stripeTaskQueue(taskQueue: string): string {
  return `${taskQueue}-stripe`;
}
