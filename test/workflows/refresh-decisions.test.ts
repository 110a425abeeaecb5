// The refresh workflow's decisions as tables: each row is a situation the lifecycle meets and what it decides.
import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { describe, expect, test } from 'vitest';
import { stripeFailureType } from '../../common/failure-types';
import type { RefreshHash } from '../../workflows/refresh-definitions';
import {
  DEADLINE_ERROR,
  answersJoinedRequest,
  availabilityOf,
  endingOfAccountState,
  endingOfActivityFailure,
  recentSuccess,
  type AccountStateFacts,
} from '../../workflows/refresh-decisions';

const NOW_MS = 1_700_000_000_000;
const NOW = NOW_MS / 1000;

const hash = (status: RefreshHash['status'], lastAttemptedAt: number, nextRefreshAvailableAt: number | null): RefreshHash => ({
  status,
  lastAttemptedAt,
  nextRefreshAvailableAt,
  id: null,
});

describe('an account that cannot be refreshed ends the request before anything is initiated', () => {
  const active: AccountStateFacts = { found: true, lifecycle: 'active', hasPermission: true };
  test.each([
    { situation: 'active with the permission', state: active, outcome: undefined, code: undefined },
    { situation: 'not found', state: { ...active, found: false }, outcome: 'account_not_found', code: 'resource_missing' },
    { situation: 'inactive', state: { ...active, lifecycle: 'inactive' as const }, outcome: 'account_inactive', code: 'financial_connections_account_inactive' },
    { situation: 'disconnected', state: { ...active, lifecycle: 'disconnected' as const }, outcome: 'account_inactive', code: 'financial_connections_account_inactive' },
    { situation: 'without the permission', state: { ...active, hasPermission: false }, outcome: 'permission_missing', code: 'missing_permission' },
    // Not found wins over everything else: a missing account has no lifecycle to speak of.
    { situation: 'not found and inactive', state: { found: false, lifecycle: 'inactive' as const, hasPermission: false }, outcome: 'account_not_found', code: 'resource_missing' },
    { situation: 'inactive and without the permission', state: { ...active, lifecycle: 'inactive' as const, hasPermission: false }, outcome: 'account_inactive', code: 'financial_connections_account_inactive' },
  ])('$situation → $outcome', ({ state, outcome, code }) => {
    const ending = endingOfAccountState(state, 'fca_1', 'balance');
    expect(ending?.outcome).toBe(outcome);
    expect(ending?.error?.code).toBe(code);
  });
});

describe("Stripe's own recent refresh is synced instead of initiating another", () => {
  test.each([
    { situation: 'succeeded within the window', refresh: hash('succeeded', NOW - 600, NOW), within: 3600, synced: true },
    { situation: 'succeeded exactly at the window edge', refresh: hash('succeeded', NOW - 3600, NOW), within: 3600, synced: true },
    { situation: 'succeeded before the window', refresh: hash('succeeded', NOW - 3601, NOW), within: 3600, synced: false },
    { situation: 'failed within the window', refresh: hash('failed', NOW - 600, NOW), within: 3600, synced: false },
    { situation: 'still pending', refresh: hash('pending', NOW - 600, null), within: 3600, synced: false },
    { situation: 'no refresh yet', refresh: null, within: 3600, synced: false },
    { situation: 'the caller did not ask for a sync', refresh: hash('succeeded', NOW - 1, NOW), within: undefined, synced: false },
  ])('$situation → synced: $synced', ({ refresh, within, synced }) => {
    expect(recentSuccess(refresh, within, NOW_MS)).toBe(synced ? refresh : null);
  });
});

describe('a refresh before next_refresh_available_at is not initiated', () => {
  test.each([
    { situation: 'never refreshed', refresh: null, defer: undefined, kind: 'now', untilMs: undefined },
    { situation: 'available a second ago', refresh: hash('succeeded', NOW - 60, NOW - 1), defer: undefined, kind: 'now', untilMs: undefined },
    { situation: 'available right now', refresh: hash('failed', NOW - 60, NOW), defer: undefined, kind: 'now', untilMs: undefined },
    { situation: 'available in 90s', refresh: hash('succeeded', NOW - 60, NOW + 90), defer: undefined, kind: 'wait', untilMs: NOW_MS + 90_000 },
    { situation: 'no next time after a completed refresh: re-check', refresh: hash('succeeded', NOW - 60, null), defer: undefined, kind: 'wait', untilMs: NOW_MS + 20_000 },
    { situation: 'available in 90s, within a 120s defer window', refresh: hash('succeeded', NOW - 60, NOW + 90), defer: 120, kind: 'wait', untilMs: NOW_MS + 90_000 },
    { situation: 'available in 90s, beyond a 60s defer window', refresh: hash('succeeded', NOW - 60, NOW + 90), defer: 60, kind: 'defer', untilMs: undefined },
    { situation: 'no next time, with a defer window', refresh: hash('succeeded', NOW - 60, null), defer: 3600, kind: 'defer', untilMs: undefined },
    { situation: 'available now, with a zero defer window', refresh: hash('succeeded', NOW - 60, NOW), defer: 0, kind: 'now', untilMs: undefined },
  ])('$situation → $kind', ({ refresh, defer, kind, untilMs }) => {
    const availability = availabilityOf(refresh, { nowMs: NOW_MS, recheckSeconds: 20, deferAfterSeconds: defer });
    expect(availability.kind).toBe(kind);
    if (availability.kind === 'wait') {
      expect(availability.untilMs).toBe(untilMs);
      expect(availability.next).toBe(refresh?.nextRefreshAvailableAt);
      expect(availability.summary).not.toBe('');
    }
    if (availability.kind === 'defer') expect(availability.error.code).toBe('deferred');
  });
});

describe('an activity failure that reached the workflow ends the refresh with a recorded outcome', () => {
  const activityFailure = (cause: Error | undefined): ActivityFailure =>
    new ActivityFailure('activity failed', 'initiateRefresh', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);
  test.each([
    {
      situation: 'a non-retryable Stripe error',
      err: activityFailure(ApplicationFailure.nonRetryable('No such account', stripeFailureType('resource_missing'))),
      ending: { outcome: 'failed', error: { code: stripeFailureType('resource_missing'), message: 'No such account' } },
    },
    {
      situation: 'an application failure without a type',
      err: activityFailure(ApplicationFailure.create({ message: 'boom', nonRetryable: true })),
      ending: { outcome: 'failed', error: { code: 'activity_failed', message: 'boom' } },
    },
    {
      situation: 'the request deadline (schedule-to-close)',
      err: activityFailure(new TimeoutFailure('timed out', undefined, TimeoutType.SCHEDULE_TO_CLOSE)),
      ending: { outcome: 'timed_out', error: DEADLINE_ERROR },
    },
    {
      situation: 'an activity failure without a cause',
      err: activityFailure(undefined),
      ending: { outcome: 'failed', error: { code: 'activity_failed', message: 'activity failed' } },
    },
    { situation: 'not an activity failure (a bug): rethrown', err: new Error('bug'), ending: null },
    { situation: 'an application failure thrown by workflow code: rethrown', err: ApplicationFailure.nonRetryable('x'), ending: null },
  ])('$situation', ({ err, ending }) => {
    expect(endingOfActivityFailure(err)).toEqual(ending);
  });
});

describe("a run started for another reason answers a client request that joined it only with what the request would get", () => {
  test.each([
    { outcome: 'succeeded', answers: true },
    { outcome: 'account_inactive', answers: true },
    { outcome: 'account_not_found', answers: true },
    { outcome: 'permission_missing', answers: true },
    { outcome: 'ignored', answers: false },
    { outcome: 'deferred', answers: false },
    { outcome: 'timed_out', answers: false },
    { outcome: 'failed', answers: false },
  ] as const)('$outcome → $answers', ({ outcome, answers }) => {
    expect(answersJoinedRequest(outcome)).toBe(answers);
  });
});
