// The refresh workflow as it ran before the lifecycle-v2 patch (workflows/refresh.ts), kept unchanged so runs
// started by earlier deployments keep replaying: refreshWorkflow calls it when `patched('refresh-lifecycle-v2')`
// is false, i.e. only while replaying a history recorded without that marker. Delete it (and deprecate the patch)
// once no run started before the patch is open or needed for replay. Do not change its commands.
import {
  CancellationScope,
  condition,
  isCancellation,
  metricMeter,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { REFRESHED_EVENT } from '../../common/features';
import { FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS } from '../../common/search-attributes';
import { refreshActivities } from '../activity-proxies';
import { findCompletion, newestCompletionSince, type Completion } from '../completions';
import {
  refreshCompletedSignal,
  refreshStatusQuery,
  type RefreshCompletedSignal,
  type RefreshError,
  type RefreshHash,
  type RefreshOutcome,
  type RefreshPhase,
  type RefreshResult,
  type RefreshStatus,
  type RefreshWorkflowInput,
} from '../refresh-definitions';

const DEFAULTS = {
  maxAttempts: 1,
  completionTimeoutSeconds: 3600,
  pollIntervalSeconds: { initial: 15, max: 300 },
  stateMaxAgeSeconds: 60,
  /** Re-check gap when Stripe did not initiate, or reports no next availability after a completed refresh. */
  recheckSeconds: { initial: 5, max: 300 },
};

const unixNow = (): number => Math.floor(Date.now() / 1000);

export async function legacyRefreshWorkflow(input: RefreshWorkflowInput): Promise<RefreshResult> {
  const { accountId, feature } = input;
  const maxAttempts = input.maxAttempts ?? DEFAULTS.maxAttempts;
  const poll = input.pollIntervalSeconds ?? DEFAULTS.pollIntervalSeconds;
  const info = workflowInfo();
  const { stripe: stripeActivities, stripeLong: stripeLongActivities, db: dbActivities } = refreshActivities();
  const status: RefreshStatus = {
    accountId,
    feature,
    trigger: input.trigger,
    phase: 'checking',
    initiations: 0,
    attempts: 0,
    startedAt: unixNow(),
    lastAttemptedAt: null,
    nextRefreshAvailableAt: null,
    waitingUntil: null,
    completedAt: null,
    transactionRefreshId: null,
    stored: {},
    error: null,
  };
  let initiatedAt: number | null = null;
  let initiationRequests = 0;

  // Handlers first, before any await, so a signal delivered with signal-with-start is never missed.
  const completions: RefreshCompletedSignal[] = [];
  const seenEventIds = new Set<string>();
  setHandler(refreshCompletedSignal, (signal) => {
    // Stripe delivers at least once: a re-sent event is ignored here as well as in the receiver.
    if (seenEventIds.has(signal.eventId)) return;
    seenEventIds.add(signal.eventId);
    if (signal.refresh.status !== 'pending') completions.push(signal);
  });
  setHandler(refreshStatusQuery, () => status);

  async function enterPhase(phase: RefreshPhase): Promise<void> {
    status.phase = phase;
    upsertSearchAttributes([
      { key: FC_ACCOUNT_ID, value: accountId },
      { key: FC_FEATURE, value: feature },
      { key: FC_REFRESH_STATUS, value: phase },
    ]);
    await dbActivities.recordRefresh({
      workflowId: info.workflowId,
      runId: info.runId,
      accountId,
      feature,
      trigger: input.trigger,
      status: phase,
      attempts: status.attempts,
      initiatedAt,
      lastAttemptedAt: status.lastAttemptedAt,
      nextRefreshAvailableAt: status.nextRefreshAvailableAt,
      completedAt: status.completedAt,
      transactionRefreshId: status.transactionRefreshId,
      error: status.error,
      result: Object.keys(status.stored).length > 0 ? { ...status.stored } : null,
    });
  }

  // Exported through the worker runtime's Prometheus endpoint; the SDK drops emissions made while replaying.
  const refreshesTotal = metricMeter.createCounter('fc_refreshes_total', 'refreshes', 'refresh workflows by feature and outcome');
  const pendingSeconds = metricMeter.createHistogram('fc_refresh_pending_seconds', 'int', 's', 'time a refresh spent pending at Stripe');

  async function finish(outcome: RefreshOutcome, error: RefreshError | null = null): Promise<RefreshResult> {
    refreshesTotal.add(1, { feature, outcome, trigger: input.trigger });
    status.completedAt = unixNow();
    status.waitingUntil = null;
    if (error) status.error = error;
    await enterPhase(outcome);
    return { ...status, outcome };
  }

  function track(refresh: RefreshHash): void {
    status.lastAttemptedAt = refresh.lastAttemptedAt;
    status.nextRefreshAvailableAt = refresh.nextRefreshAvailableAt;
    if (refresh.id) status.transactionRefreshId = refresh.id;
  }

  /** Stores what a succeeded refresh produced; only counts and ids come back into history. */
  async function store(completion: Completion): Promise<void> {
    await enterPhase('storing');
    if (feature === 'balance') {
      const stored = await stripeActivities.storeBalance({ accountId, eventId: completion.eventId });
      status.stored = { balanceCurrencies: stored.currencies, balanceAsOf: stored.asOf };
    } else if (feature === 'ownership') {
      const stored = await stripeLongActivities.storeOwnership({ accountId, eventId: completion.eventId });
      status.stored = { ownershipId: stored.ownershipId, owners: stored.owners };
    } else {
      const throughRefreshId = completion.refresh.id ?? status.transactionRefreshId;
      if (!throughRefreshId) throw new Error(`transaction refresh of ${accountId} completed without an id`);
      const synced = await stripeLongActivities.syncTransactions({ accountId, throughRefreshId });
      status.stored = { transactionsAdded: synced.added, transactionsUpdated: synced.updated, transactionsUnchanged: synced.unchanged };
    }
  }

  /**
   * Waits for the tracked refresh to leave `pending`: the webhook's signal normally ends the wait, and the
   * account is polled with backoff meanwhile so a lost webhook never hangs the refresh.
   */
  async function waitForCompletion(tracked: RefreshHash, askStripeFirst: boolean): Promise<Completion | 'inactive' | 'timed_out'> {
    await enterPhase('pending');
    const pendingSince = Date.now();
    try {
      return await awaitCompletion(tracked, askStripeFirst);
    } finally {
      pendingSeconds.record(Math.round((Date.now() - pendingSince) / 1000), { feature });
    }
  }

  async function awaitCompletion(tracked: RefreshHash, askStripeFirst: boolean): Promise<Completion | 'inactive' | 'timed_out'> {
    const deadline = Date.now() + (input.completionTimeoutSeconds ?? DEFAULTS.completionTimeoutSeconds) * 1000;
    let pollMs = poll.initial * 1000;
    let pollNow = askStripeFirst;
    for (;;) {
      const signalled = findCompletion(completions, tracked);
      if (signalled) return signalled;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return 'timed_out';
      const arrived = pollNow
        ? false
        : await condition(() => findCompletion(completions, tracked) !== undefined, Math.min(pollMs, remaining), {
            summary: `waiting for ${REFRESHED_EVENT[feature]}`,
          });
      if (arrived) continue;
      const state = await stripeActivities.getRefreshState({ accountId, feature, maxAgeSeconds: 0 });
      if (state.lifecycle !== 'active') return 'inactive';
      const polled = state.refresh;
      if (polled && polled.status !== 'pending' && findCompletion([{ eventId: '', eventCreated: 0, refresh: polled }], tracked)) {
        return { refresh: polled, eventId: null, error: state.error };
      }
      if (!pollNow) pollMs = Math.min(pollMs * 2, poll.max * 1000);
      pollNow = false;
    }
  }

  try {
    // A run started by a webhook (signal-with-start) handles the completion it carries and initiates nothing:
    // e.g. Stripe's daily refresh of a subscribed account.
    if (input.trigger === 'webhook') {
      await condition(() => completions.length > 0, '1 minute');
      const delivered = newestCompletionSince(completions, null);
      if (!delivered) return await finish('timed_out', { code: 'no_event', message: 'started for a webhook that never arrived' });
      status.attempts = 1;
      track(delivered.refresh);
      return (await settle(delivered)) ?? (await finish('failed'));
    }

    let known: RefreshHash | null = null; // the newest refresh state this run has seen
    let recheckSeconds = DEFAULTS.recheckSeconds.initial;
    let checks = 0;
    for (;;) {
      await enterPhase('checking');
      const state = await stripeActivities.getRefreshState({
        accountId,
        feature,
        // Only the first look may use the stored snapshot; every later one follows something that changed. A sync of
        // the last refresh (syncIfRefreshedWithinSeconds) needs Stripe's newest: a snapshot a minute old may name an
        // earlier refresh than the one already synced, and would move the transactions cursor back.
        maxAgeSeconds: checks++ === 0 && input.syncIfRefreshedWithinSeconds === undefined ? (input.stateMaxAgeSeconds ?? DEFAULTS.stateMaxAgeSeconds) : 0,
      });
      if (!state.found) return await finish('account_not_found', { code: 'resource_missing', message: `no account ${accountId}` });
      // "Refreshes aren't allowed on inactive accounts."
      if (state.lifecycle !== 'active') return await finish('account_inactive', { code: 'financial_connections_account_inactive', message: `account is ${state.lifecycle}` });
      if (!state.hasPermission) return await finish('permission_missing', { code: 'missing_permission', message: `the account did not grant the permission ${feature} needs` });
      known = state.refresh ?? known;

      const recentWindow = input.syncIfRefreshedWithinSeconds;
      if (recentWindow !== undefined && state.refresh?.status === 'succeeded' && state.refresh.lastAttemptedAt * 1000 >= Date.now() - recentWindow * 1000) {
        // Stripe's own daily refresh already ran: take what it brought, initiate nothing.
        status.attempts += 1;
        track(state.refresh);
        return (await settle({ refresh: state.refresh, eventId: null })) ?? (await finish('failed'));
      }

      let tracked: RefreshHash | null = null;
      let askStripeFirst = false;
      if (state.refresh?.status === 'pending') {
        tracked = state.refresh; // prefetch, or a refresh started elsewhere: adopt it, initiate nothing
      } else {
        // A refresh attempted while next_refresh_available_at is null or in the future is not initiated.
        const next = state.refresh ? state.refresh.nextRefreshAvailableAt : 0;
        const since: RefreshHash | null = known;
        const freshArrived = (): boolean => newestCompletionSince(completions, since) !== undefined;
        if (next === null || next * 1000 > Date.now()) {
          const untilMs = next === null ? recheckSeconds * 1000 : next * 1000 - Date.now();
          status.nextRefreshAvailableAt = next;
          status.waitingUntil = Math.ceil((Date.now() + untilMs) / 1000);
          await enterPhase('waiting_for_availability');
          const summary = next === null
            ? `next_refresh_available_at is null; re-checking in ${recheckSeconds}s`
            : `waiting for next_refresh_available_at ${new Date(next * 1000).toISOString()}`;
          // A refresh that completes meanwhile (Stripe's daily one, or another caller's) already answers this request.
          const fresh = await condition(freshArrived, untilMs, { summary });
          status.waitingUntil = null;
          if (next === null) recheckSeconds = Math.min(recheckSeconds * 2, DEFAULTS.recheckSeconds.max);
          if (!fresh && next === null) continue;
          const adopted: Completion | undefined = fresh ? newestCompletionSince(completions, since) : undefined;
          if (adopted) {
            status.attempts += 1;
            track(adopted.refresh);
            const outcome = await settle(adopted);
            if (outcome) return outcome;
            known = adopted.refresh;
            continue;
          }
        }
        await enterPhase('initiating');
        const receivedBeforeInitiating = completions.length;
        const attempt = await stripeActivities.initiateRefresh({
          accountId,
          feature,
          // Derived from the run, so an activity retry replays Stripe's answer instead of refreshing twice.
          idempotencyKey: `${info.workflowId}/${info.runId}/initiate-${initiationRequests++}`,
          before: state.refresh,
        });
        if (attempt.state.lifecycle !== 'active') return await finish('account_inactive', { code: 'financial_connections_account_inactive', message: 'Stripe refused: the account is inactive' });
        if (!attempt.initiated) {
          // Stripe answered 200 without starting a refresh: learn why (pending elsewhere, cooldown) and go again.
          known = attempt.state.refresh ?? known;
          await sleep(recheckSeconds * 1000);
          recheckSeconds = Math.min(recheckSeconds * 2, DEFAULTS.recheckSeconds.max);
          continue;
        }
        status.initiations += 1;
        initiatedAt = unixNow();
        tracked = attempt.state.refresh;
        // Events received before the refresh call are about earlier refreshes: Stripe's one-second timestamps could
        // not tell a same-second predecessor's completion from ours, so they are dropped. One received while the call
        // ran may be ours (a refresh that completed within the call's round trip) and must not cost a poll interval:
        // a transaction refresh's id says whose it is; for the others Stripe is asked at once.
        const receivedDuringCall = completions.slice(receivedBeforeInitiating);
        completions.length = 0;
        if (receivedDuringCall.length > 0 && patched('completions-received-while-initiating')) {
          const trackedId = tracked?.id ?? null;
          const ours = receivedDuringCall.filter((signal) => trackedId !== null && signal.refresh.id === trackedId);
          completions.push(...ours);
          askStripeFirst = ours.length === 0;
        }
      }
      if (!tracked) continue;

      status.attempts += 1;
      track(tracked);
      const completion = await waitForCompletion(tracked, askStripeFirst);
      if (completion === 'timed_out') return await finish('timed_out', { code: 'completion_timeout', message: 'the refresh stayed pending past the completion timeout' });
      if (completion === 'inactive') return await finish('account_inactive', { code: 'financial_connections_account_inactive', message: 'the account became inactive while the refresh was pending' });
      track(completion.refresh);
      const outcome = await settle(completion);
      if (outcome) return outcome;
      known = completion.refresh;
      recheckSeconds = DEFAULTS.recheckSeconds.initial;
    }
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => enterPhase('cancelled'));
    }
    throw err;
  }

  /**
   * Stores a succeeded refresh, or records a failed one. Returns the result when the workflow is done,
   * undefined when a failed refresh should be re-initiated (maxAttempts).
   */
  async function settle(completion: Completion): Promise<RefreshResult | undefined> {
    if (completion.refresh.status === 'succeeded') {
      status.error = null;
      await store(completion);
      return finish('succeeded');
    }
    status.error = completion.error ?? { code: 'refresh_failed', message: `Stripe reported the ${feature} refresh failed` };
    if (status.attempts < maxAttempts) {
      await enterPhase('checking');
      return undefined;
    }
    return finish('failed');
  }
}
