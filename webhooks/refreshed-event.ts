import type { Client } from '@temporalio/client';
import type { Feature } from '../common/features';
import { FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS } from '../common/search-attributes';
import { refreshHashOf, type FcAccount } from '../common/stripe-account';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import { refreshCompletedSignal, type RefreshCompletedSignal } from '../workflows/refresh-definitions';

/**
 * Hands a `refreshed_*` event to the refresh workflow of that account and feature with signal-with-start, so it
 * lands whether the event comes before the workflow starts, while it waits, or with no workflow at all (Stripe's
 * daily refresh of a subscribed account): then a workflow starts to store the data.
 *
 * Only the refresh hash travels in the signal; balances, owners and transactions are read by the workflow's
 * activities, so they never enter workflow history.
 */
export async function signalRefreshCompleted(
  temporal: Client,
  taskQueue: string,
  event: { id: string; created: number },
  account: FcAccount,
  feature: Feature,
): Promise<'signalled' | 'still_pending'> {
  const refresh = refreshHashOf(account, feature);
  // Nothing completed yet: the later event (or the workflow's own poll) will carry the outcome.
  if (!refresh || refresh.status === 'pending') return 'still_pending';
  const signal: RefreshCompletedSignal = { eventId: event.id, eventCreated: event.created, refresh };
  await temporal.workflow.signalWithStart<RefreshWorkflow, [RefreshCompletedSignal]>(REFRESH_WORKFLOW_TYPE, {
    workflowId: refreshWorkflowId(feature, account.id),
    taskQueue,
    args: [{ accountId: account.id, feature, trigger: 'webhook' }],
    signal: refreshCompletedSignal,
    signalArgs: [signal],
    typedSearchAttributes: [
      { key: FC_ACCOUNT_ID, value: account.id },
      { key: FC_FEATURE, value: feature },
      { key: FC_REFRESH_STATUS, value: 'checking' },
    ],
    staticSummary: `refresh ${feature} of ${account.id} (webhook)`,
  });
  return 'signalled';
}
