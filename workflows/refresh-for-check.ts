// A check's wait for fresh data: run the feature's refresh workflow as a child, or join the one already running,
// and stop waiting at the caller's deadline. Decides and waits only; the refresh itself is refreshWorkflow's job.
import { ChildWorkflowFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { sleep, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import { refreshWorkflowId } from '../common/workflow-ids';
import { REFRESH_WORKFLOW_TYPE, type RefreshWorkflow } from '../common/workflow-types';
import { refreshActivities } from './activity-proxies';
import { Backoff } from './backoff';
import type { FreshDataStatus, RefreshAttempt } from './check-definitions';
import type { RefreshOutcome, RefreshResult, RefreshWorkflowInput } from './refresh-definitions';

/** As the refresh workflow's first look: the stored account snapshot when younger than this, else Stripe. */
const STATE_MAX_AGE_SECONDS = 60;
/** How often a joined refresh is looked for in Postgres: it is another caller's workflow, so it cannot be awaited. */
const JOIN_POLL_SECONDS = { initial: 1, max: 15 };

const STATUS_OF_OUTCOME: Record<RefreshOutcome, FreshDataStatus> = {
  succeeded: 'refreshed',
  failed: 'refresh_not_succeeded',
  timed_out: 'refresh_not_succeeded',
  // Only the daily sync asks for deferral; a check that joins such a refresh learns the next one is too far away.
  deferred: 'refresh_unavailable_before_deadline',
  account_inactive: 'account_inactive',
  permission_missing: 'permission_missing',
  account_not_found: 'account_not_found',
  // A newer refresh (or this very one) was already stored by another run: the stored data is at least as fresh.
  ignored: 'refreshed',
};

export interface RefreshForCheckOptions {
  accountId: string;
  feature: 'balance' | 'ownership';
  /** Workflow time (ms) the check started: data stored since then was brought by a refresh it waited for. */
  checkStartedAtMs: number;
  /** Workflow time (ms) after which the check stops waiting and decides on what is stored. */
  deadlineAtMs: number;
}

/**
 * Starts `fc-refresh/<feature>/<fca>` as a child, so the usual one-refresh-per-account rule holds: a webhook's
 * signal, another check or a client request all meet the same workflow. Child starts cannot use
 * USE_EXISTING, so a refresh already running (WorkflowExecutionAlreadyStartedError) is joined by watching
 * Postgres for the data it stores. The child is abandoned at the deadline: it still lands data for later checks.
 */
export async function refreshForCheck(options: RefreshForCheckOptions): Promise<RefreshAttempt> {
  const { accountId, feature, deadlineAtMs } = options;
  const { stripe, db } = refreshActivities();
  const workflowId = refreshWorkflowId(feature, accountId);
  let joined = false;
  const ended = (status: FreshDataStatus, details: { outcome?: RefreshOutcome; nextRefreshAvailableAt?: number } = {}): RefreshAttempt => ({
    workflowId,
    status,
    joined,
    outcome: details.outcome ?? null,
    nextRefreshAvailableAt: details.nextRefreshAvailableAt ?? null,
  });

  // A stored snapshot that leads to the refresh is enough: the refresh call's answer corrects it at no extra call.
  const state = await stripe.getRefreshState({ accountId, feature, maxAgeSeconds: STATE_MAX_AGE_SECONDS, storedIfInitiable: true });
  if (!state.found) return ended('account_not_found');
  // "Refreshes aren't allowed on inactive accounts."
  if (state.lifecycle !== 'active') return ended('account_inactive');
  if (!state.hasPermission) return ended('permission_missing');
  // "If you attempt a refresh … before next_refresh_available_at, the refresh won't be initiated": when that
  // time is past the deadline, waiting for it cannot help this caller, so nothing is started.
  const next = state.refresh && state.refresh.status !== 'pending' ? state.refresh.nextRefreshAvailableAt : null;
  if (next !== null && next * 1000 > deadlineAtMs) return ended('refresh_unavailable_before_deadline', { nextRefreshAvailableAt: next });

  const joinPoll = new Backoff(JOIN_POLL_SECONDS.initial, JOIN_POLL_SECONDS.max);
  for (;;) {
    const remainingMs = deadlineAtMs - Date.now();
    if (remainingMs <= 0) return ended('deadline_reached');
    const child = await startRefreshChild(workflowId, { accountId, feature, trigger: 'request' });
    if (child === 'already_running') {
      joined = true;
      const gapMs = Math.min(joinPoll.take() * 1000, remainingMs);
      await sleep(gapMs, { summary: `joined the running ${feature} refresh; looking for its data in ${Math.ceil(gapMs / 1000)}s` });
      if (await db.hasStoredSince({ accountId, feature, sinceMs: options.checkStartedAtMs })) return ended('refreshed');
      // Still running, or it ended without storing anything: the next start attempt tells which.
      continue;
    }
    let result: RefreshResult | 'deadline';
    try {
      result = await Promise.race([child.result(), sleep(remainingMs, { summary: `the check's deadline for fresh ${feature} data` }).then(() => 'deadline' as const)]);
    } catch (err) {
      // The refresh execution itself was cancelled, terminated or failed: no data came of it.
      if (err instanceof ChildWorkflowFailure) return ended('refresh_not_succeeded');
      throw err;
    }
    if (result === 'deadline') return ended('deadline_reached');
    return ended(STATUS_OF_OUTCOME[result.outcome], { outcome: result.outcome });
  }
}

async function startRefreshChild(workflowId: string, input: RefreshWorkflowInput): Promise<ChildWorkflowHandle<RefreshWorkflow> | 'already_running'> {
  try {
    return await startChild<RefreshWorkflow>(REFRESH_WORKFLOW_TYPE, {
      workflowId,
      args: [input],
      parentClosePolicy: 'ABANDON',
      staticSummary: `refresh ${input.feature} of ${input.accountId} for a check`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already_running';
    throw err;
  }
}
