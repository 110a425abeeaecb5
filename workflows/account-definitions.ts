// The account entity workflow's contract: one long-running workflow per linked account knows its lifecycle
// and subscriptions. Shared by the workflow, the webhook receiver and the client.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AccountLifecycle } from '../common/stripe-account';

export interface AccountState {
  accountId: string;
  lifecycle: AccountLifecycle;
  subscriptions: string[];
  /** `created` of the newest lifecycle event applied, unix seconds: older events never undo newer ones. */
  lastEventCreated: number;
  registeredAt: number;
  /** Lifecycle events applied over the account's whole life (across continue-as-new). */
  eventsApplied: number;
}

export interface AccountWorkflowInput {
  accountId: string;
  /** Carried across continue-as-new; absent on first registration (then loaded from Stripe). */
  state?: AccountState;
  /** Recently applied event ids, carried so a duplicate delivered around continue-as-new is still ignored. */
  recentEventIds?: string[];
}

/** Sent by the webhook receiver for `financial_connections.account.{created,deactivated,reactivated,disconnected}`. */
export interface AccountEventSignal {
  eventId: string;
  type: string;
  status: string;
  created: number;
}

export const accountEventSignal = defineSignal<[AccountEventSignal]>('accountEventSignal');
export const accountStateQuery = defineQuery<AccountState>('accountState');
export const subscribeTransactionsUpdate = defineUpdate<AccountState, []>('subscribeTransactions');
export const unsubscribeTransactionsUpdate = defineUpdate<AccountState, []>('unsubscribeTransactions');
