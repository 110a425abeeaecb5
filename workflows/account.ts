// One long-running workflow per linked account (entity pattern): it knows the account's lifecycle and
// subscriptions, applies Stripe's lifecycle events in order, and serves subscribe/unsubscribe as updates.
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { FEATURES } from '../common/features';
import { FailureType } from '../common/failure-types';
import type { AccountLifecycle } from '../common/stripe-account';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import {
  accountEventSignal,
  accountStateQuery,
  subscribeTransactionsUpdate,
  unsubscribeTransactionsUpdate,
  type AccountEventSignal,
  type AccountState,
  type AccountWorkflowInput,
} from './account-definitions';
import { accountActivities } from './activity-proxies';
import { historyIsLong } from './history-limit';

/**
 * The refresh a subscribe call started is at most this old when the subscription child first looks: it is synced
 * (adopted while pending) rather than followed by another initiation, which Stripe would allow once it completed.
 */
const SUBSCRIPTION_REFRESH_WINDOW_SECONDS = 15 * 60;
const RECENT_EVENT_IDS = 200;

const LIFECYCLE_OF_EVENT: Record<string, AccountLifecycle | undefined> = {
  'financial_connections.account.deactivated': 'inactive',
  'financial_connections.account.reactivated': 'active',
  'financial_connections.account.disconnected': 'disconnected',
};

export async function accountWorkflow(input: AccountWorkflowInput): Promise<AccountState> {
  const { accountId } = input;
  const acts = accountActivities();
  const state: AccountState = input.state ?? {
    accountId,
    lifecycle: 'active',
    subscriptions: [],
    lastEventCreated: 0,
    registeredAt: Math.floor(Date.now() / 1000),
    eventsApplied: 0,
  };
  const recentEventIds = [...(input.recentEventIds ?? [])];
  let loaded = input.state !== undefined;
  let subscriptionRequests = 0;

  setHandler(accountStateQuery, () => state);

  setHandler(accountEventSignal, async (event: AccountEventSignal) => {
    if (recentEventIds.includes(event.eventId)) return;
    recentEventIds.push(event.eventId);
    if (recentEventIds.length > RECENT_EVENT_IDS) recentEventIds.shift();
    const next = LIFECYCLE_OF_EVENT[event.type];
    // Stripe does not order deliveries: an event older than the one applied last must not undo it.
    if (!next || event.created < state.lastEventCreated || state.lifecycle === 'disconnected') return;
    state.lastEventCreated = event.created;
    state.eventsApplied += 1;
    const was = state.lifecycle;
    state.lifecycle = next;
    if (was === 'active' && next !== 'active') await stopRunningRefreshes();
  });

  const refuseUnlessActive = (): void => {
    if (state.lifecycle !== 'active') {
      throw ApplicationFailure.create({
        type: FailureType.AccountInactive,
        message: `${accountId} is ${state.lifecycle}: Stripe refuses subscriptions on inactive or disconnected accounts`,
        nonRetryable: true,
        // The client turns this into AccountInactiveError naming the lifecycle.
        details: [state.lifecycle],
      });
    }
  };

  /** Calls Stripe's subscribe or unsubscribe with a key derived from the run, so a retry never repeats it. */
  async function setSubscription(subscribe: boolean): Promise<AccountState> {
    await condition(() => loaded);
    const result = await acts.stripe.setTransactionSubscription({
      accountId,
      subscribe,
      idempotencyKey: `${workflowInfo().workflowId}/${workflowInfo().runId}/subscription-${subscriptionRequests++}`,
    });
    state.subscriptions = result.subscriptions;
    // Subscribing starts a transaction refresh; follow it so its result is synced even if its webhook is lost.
    if (subscribe) await followSubscriptionRefresh();
    return state;
  }

  setHandler(subscribeTransactionsUpdate, () => setSubscription(true), { validator: refuseUnlessActive });
  setHandler(unsubscribeTransactionsUpdate, () => setSubscription(false), { validator: refuseUnlessActive });

  async function followSubscriptionRefresh(): Promise<void> {
    try {
      await startChild<RefreshWorkflow>(REFRESH_WORKFLOW_TYPE, {
        workflowId: refreshWorkflowId('transactions', accountId),
        args: [{ accountId, feature: 'transactions', trigger: 'subscription', syncIfRefreshedWithinSeconds: SUBSCRIPTION_REFRESH_WINDOW_SECONDS }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      // A transactions refresh is already running for the account: it will see this refresh through.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** Deactivation stops the account's refreshes: nothing more can succeed until it is reactivated. */
  async function stopRunningRefreshes(): Promise<void> {
    for (const feature of FEATURES) {
      try {
        await getExternalWorkflowHandle(refreshWorkflowId(feature, accountId)).cancel();
      } catch {
        // no refresh of that feature is running
      }
    }
  }

  if (!loaded) {
    const account = await acts.stripe.loadAccount({ accountId });
    if (!account.found) {
      throw ApplicationFailure.create({ type: FailureType.AccountNotFound, message: `no Financial Connections account ${accountId}`, nonRetryable: true });
    }
    state.lifecycle = account.lifecycle;
    state.subscriptions = account.subscriptions;
    loaded = true;
  }

  await condition(() => state.lifecycle === 'disconnected' || historyIsLong());
  // Let in-flight updates and signal handlers finish before closing or handing over to the next run.
  await condition(allHandlersFinished);
  if (state.lifecycle === 'disconnected') return state; // terminal: the data stays, marked disconnected
  return continueAsNew<typeof accountWorkflow>({ accountId, state, recentEventIds });
}
