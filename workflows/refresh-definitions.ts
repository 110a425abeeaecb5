// The refresh workflow's public contract: its input, result, signal and query. Shared by the workflow,
// the webhook receiver (which signals it) and the client (which starts and queries it), so it imports
// nothing that is not safe inside the workflow sandbox.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Feature } from '../common/features';

/** Why a refresh workflow was started. */
export type RefreshTrigger = 'request' | 'webhook' | 'schedule' | 'subscription';

export interface RefreshWorkflowInput {
  accountId: string;
  feature: Feature;
  trigger: RefreshTrigger;
  /** Refreshes to initiate before giving up when Stripe reports `failed` (default 1: no re-initiation). */
  maxAttempts?: number;
  /** How long to wait for one refresh to leave `pending` before ending `timed_out` (default 1 hour). */
  completionTimeoutSeconds?: number;
  /** First and longest gap between fallback polls of the account while waiting for the webhook. */
  pollIntervalSeconds?: { initial: number; max: number };
  /**
   * Stored account state younger than this is used instead of calling Stripe (default 60 s); older state too when it
   * leads to the refresh call, whose answer corrects it (0: always retrieve the account first).
   */
  stateMaxAgeSeconds?: number;
  /**
   * For subscribed accounts, which Stripe refreshes daily: when the last refresh succeeded within this many
   * seconds, sync what it brought (from the stored cursor) instead of initiating another one.
   */
  syncIfRefreshedWithinSeconds?: number;
  /**
   * Everything this request may take, waits for availability and Stripe outages included (default 24 hours); past
   * it the refresh ends `timed_out`, recorded. Carried unchanged across continue-as-new.
   */
  refreshDeadlineSeconds?: number;
  /**
   * When the next refresh is further away than this (Stripe's cooldown), or unknown after a completed refresh, end
   * at once with outcome `deferred` instead of waiting (the daily sync's defer window).
   */
  deferIfUnavailableForSeconds?: number;
  /** Set only by continue-as-new: where the previous run of this refresh got to. */
  carried?: RefreshCarryOver;
}

/** What one run of a long-waiting refresh hands to the next when it continues as new (ids and times only). */
export interface RefreshCarryOver {
  startedAt: number;
  /** Unix ms: the request's overall deadline. */
  deadlineAt: number;
  /** The first run's id: the fc_refreshes row of the whole refresh is keyed by it (absent: a new request's row). */
  firstRunId?: string;
  initiations: number;
  initiationRequests: number;
  attempts: number;
  known: RefreshHash | null;
  recheckSeconds: number;
  /** Completions received and not yet used, and the event ids already seen (bounded). */
  completions: RefreshCompletedSignal[];
  seenEventIds: string[];
  /** A request that joined a run it cannot answer (refreshRequestedSignal), carried until a run can. */
  queuedRequest?: RefreshWorkflowInput;
}

/** A refresh hash as Stripe reports it (`balance_refresh`, …), timestamps in unix seconds. */
export interface RefreshHash {
  status: 'pending' | 'succeeded' | 'failed';
  lastAttemptedAt: number;
  nextRefreshAvailableAt: number | null;
  /** `transaction_refresh.id` (fctxnref_…); null for balance and ownership. */
  id: string | null;
}

/** Sent by the webhook receiver for each verified `financial_connections.account.refreshed_*` event. */
export interface RefreshCompletedSignal {
  eventId: string;
  /** The event's `created`, unix seconds. */
  eventCreated: number;
  refresh: RefreshHash;
  /** The refresh hash's `error` (a Stripe preview field) when a failed refresh carries one. */
  error?: RefreshError | null;
}

export type RefreshOutcome =
  | 'succeeded'
  | 'failed'
  | 'account_inactive'
  | 'account_not_found'
  | 'permission_missing'
  | 'timed_out'
  /** The completion was older than a refresh already settled (a late event), or that very refresh was settled by another run: nothing written. */
  | 'ignored'
  /** Unavailable for longer than the caller's defer window (deferIfUnavailableForSeconds): not initiated. */
  | 'deferred';

/** Every status an fc_refreshes row ends in; nothing else is terminal. */
export const TERMINAL_STATUSES = [
  'succeeded', 'failed', 'account_inactive', 'account_not_found', 'permission_missing', 'timed_out', 'ignored', 'deferred', 'cancelled',
] as const satisfies ReadonlyArray<RefreshOutcome | 'cancelled'>;

export type RefreshPhase =
  | 'checking'
  | 'waiting_for_availability'
  | 'initiating'
  | 'pending'
  | 'storing'
  | 'cancelled'
  | RefreshOutcome;

/** Counts and ids only: bulk data and PII stay in Postgres. */
export interface StoredCounts {
  balanceCurrencies?: number;
  balanceAsOf?: number | null;
  ownershipId?: string | null;
  owners?: number;
  transactionsAdded?: number;
  transactionsUpdated?: number;
  transactionsUnchanged?: number;
  /** The refresh was already stored by another run (e.g. the webhook's): nothing was written again. */
  alreadyStored?: boolean;
}

export interface RefreshError {
  /** Stripe's `error` hash code when present, else fc-refresh's own reason. */
  code: string;
  message: string;
}

export interface RefreshStatus {
  accountId: string;
  feature: Feature;
  trigger: RefreshTrigger;
  phase: RefreshPhase;
  /** Refreshes this workflow initiated with the Refresh API (adopted ones are not counted). */
  initiations: number;
  /** Refresh lifecycles followed to completion or timeout (initiated or adopted). */
  attempts: number;
  startedAt: number;
  lastAttemptedAt: number | null;
  nextRefreshAvailableAt: number | null;
  waitingUntil: number | null;
  completedAt: number | null;
  transactionRefreshId: string | null;
  stored: StoredCounts;
  error: RefreshError | null;
}

export interface RefreshResult extends RefreshStatus {
  outcome: RefreshOutcome;
}

export const refreshCompletedSignal = defineSignal<[RefreshCompletedSignal]>('refreshCompleted');
/**
 * Sent with every client request (signal-with-start) carrying the request's own input. A run started for another
 * reason (a webhook's late event, the daily sync's deferrable refresh) that ends without answering the request
 * continues as new as that request, so a request never ends with another run's `ignored` or `deferred`.
 */
export const refreshRequestedSignal = defineSignal<[RefreshWorkflowInput]>('refreshRequested');
export const refreshStatusQuery = defineQuery<RefreshStatus>('status');
