// The refresh workflow's decisions, as pure functions of what it has learnt: table-tested in
// test/workflows/refresh-decisions.test.ts, so workflows/refresh.ts reads as the lifecycle alone.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import type { AccountLifecycle } from '../common/stripe-account';
import type { RefreshError, RefreshHash, RefreshOutcome } from './refresh-definitions';

/** What the account's state says before anything is initiated. */
export interface AccountStateFacts {
  found: boolean;
  lifecycle: AccountLifecycle;
  hasPermission: boolean;
}

/** How a refresh request ends; `error` says why when it did not succeed. */
export interface Ending {
  outcome: RefreshOutcome;
  error?: RefreshError;
}

/** An account that cannot be refreshed ends the request at once ("Refreshes aren't allowed on inactive accounts"). */
export function endingOfAccountState(state: AccountStateFacts, accountId: string, feature: string): Ending | null {
  if (!state.found) return { outcome: 'account_not_found', error: { code: 'resource_missing', message: `no account ${accountId}` } };
  if (state.lifecycle !== 'active') {
    return { outcome: 'account_inactive', error: { code: 'financial_connections_account_inactive', message: `account is ${state.lifecycle}` } };
  }
  if (!state.hasPermission) {
    return { outcome: 'permission_missing', error: { code: 'missing_permission', message: `the account did not grant the permission ${feature} needs` } };
  }
  return null;
}

/** Stripe's own refresh (a subscribed account's daily one) when it succeeded recently enough to sync instead. */
export function recentSuccess(refresh: RefreshHash | null, withinSeconds: number | undefined, nowMs: number): RefreshHash | null {
  const recent = withinSeconds !== undefined && refresh?.status === 'succeeded' && refresh.lastAttemptedAt * 1000 >= nowMs - withinSeconds * 1000;
  return recent ? refresh : null;
}

/**
 * When the next refresh may be initiated. `now`: go ahead. `wait`: a timer until `next_refresh_available_at`, or a
 * re-check after `recheckSeconds` when Stripe reports none after a completed refresh (`next: null`). `defer`: the
 * caller asked not to wait that long.
 */
export type Availability =
  | { kind: 'now' }
  | { kind: 'wait'; untilMs: number; next: number | null; summary: string }
  | { kind: 'defer'; error: RefreshError };

export function availabilityOf(refresh: RefreshHash | null, options: { nowMs: number; recheckSeconds: number; deferAfterSeconds?: number }): Availability {
  const next = refresh ? refresh.nextRefreshAvailableAt : 0;
  if (next !== null && next * 1000 <= options.nowMs) return { kind: 'now' };
  const waitMs = next === null ? options.recheckSeconds * 1000 : next * 1000 - options.nowMs;
  if (options.deferAfterSeconds !== undefined && (next === null || waitMs > options.deferAfterSeconds * 1000)) {
    const message = next === null
      ? 'Stripe reports no next refresh time'
      : `next refresh available at ${new Date(next * 1000).toISOString()}, beyond the ${options.deferAfterSeconds}s defer window`;
    return { kind: 'defer', error: { code: 'deferred', message } };
  }
  const summary = next === null
    ? `next_refresh_available_at is null; re-checking in ${options.recheckSeconds}s`
    : `waiting for next_refresh_available_at ${new Date(next * 1000).toISOString()}`;
  return { kind: 'wait', untilMs: options.nowMs + waitMs, next, summary };
}

/**
 * Whether a run started for another reason (a webhook's event, the daily sync, a subscription) answered a client
 * request that joined it: only fresh data stored, or an account that cannot be refreshed at all. `ignored` stored
 * nothing, `deferred` did not try, `timed_out` ran out the other run's shorter deadline, and `failed` was a refresh
 * nobody initiated for this request: the request then runs on its own.
 */
export function answersJoinedRequest(outcome: RefreshOutcome): boolean {
  return outcome === 'succeeded' || outcome === 'account_inactive' || outcome === 'account_not_found' || outcome === 'permission_missing';
}

export const DEADLINE_ERROR: RefreshError = { code: 'refresh_deadline', message: 'the refresh did not end within its deadline (refreshDeadlineSeconds)' };

/**
 * An activity failure that reaches the workflow has stopped retrying: a non-retryable error (a Stripe 4xx, a
 * deterministic Postgres error) or the request's deadline. Either ends the refresh with a recorded outcome.
 */
export function endingOfActivityFailure(err: unknown): Ending | null {
  if (!(err instanceof ActivityFailure)) return null;
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) return { outcome: 'timed_out', error: DEADLINE_ERROR };
  if (cause instanceof ApplicationFailure) return { outcome: 'failed', error: { code: cause.type ?? 'activity_failed', message: cause.message } };
  return { outcome: 'failed', error: { code: 'activity_failed', message: cause?.message ?? err.message } };
}
