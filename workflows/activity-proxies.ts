import { ActivityCancellationType, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { DbActivities, StripeActivities } from '../activities';
import { stripeTaskQueue } from '../common/task-queues';

// Stripe errors that will not change on retry are thrown non-retryable by the activities themselves
// (activities/stripe-errors.ts); everything else (429, 5xx, network, Postgres restarts) retries with backoff
// for as long as it takes: a refresh waits out an outage rather than losing its place.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' };

/** Built inside a workflow run: the Stripe queue is derived from the run's own task queue. */
export function refreshActivities() {
  const stripeQueue = stripeTaskQueue(workflowInfo().taskQueue);
  return {
    /** Short Stripe calls: one request and one small write each. */
    stripe: proxyActivities<StripeActivities>({ taskQueue: stripeQueue, startToCloseTimeout: '1 minute', retry }),
    /** Paged fetches (owners, transactions): heartbeat a resumable cursor so a retry continues where it stopped. */
    stripeLong: proxyActivities<StripeActivities>({
      taskQueue: stripeQueue,
      startToCloseTimeout: '30 minutes',
      heartbeatTimeout: '1 minute',
      retry,
    }),
    /** Postgres bookkeeping, as local activities on the workflow worker: one marker in history each. */
    db: proxyLocalActivities<DbActivities>({ startToCloseTimeout: '30 seconds', retry }),
  };
}

/**
 * The refresh's Stripe calls, bounded by what is left of its deadline: retries stop there and the workflow records
 * `timed_out` instead of waiting out an outage forever.
 */
export function stripeActivitiesWithin(remainingMs: number) {
  const stripeQueue = stripeTaskQueue(workflowInfo().taskQueue);
  const scheduleToCloseTimeout = Math.max(remainingMs, 1_000);
  return {
    stripe: proxyActivities<StripeActivities>({ taskQueue: stripeQueue, startToCloseTimeout: '1 minute', scheduleToCloseTimeout, retry }),
    stripeLong: proxyActivities<StripeActivities>({
      taskQueue: stripeQueue,
      startToCloseTimeout: '30 minutes',
      heartbeatTimeout: '1 minute',
      scheduleToCloseTimeout,
      retry,
      // Wait for a cancelled paging activity to stop, so nothing it writes lands after the refresh ended.
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    }),
  };
}

/** The account workflow's Stripe calls (load, subscribe, unsubscribe). */
export function accountActivities() {
  return {
    stripe: proxyActivities<StripeActivities>({
      taskQueue: stripeTaskQueue(workflowInfo().taskQueue),
      startToCloseTimeout: '1 minute',
      retry,
    }),
  };
}
