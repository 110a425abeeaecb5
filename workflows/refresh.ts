// One refresh of one feature of one account: check → wait for availability → initiate → await completion → settle,
// honouring Stripe's timing rules. Decides and waits only; every Stripe call and database write is an activity that
// returns counts and ids, and every decision is a pure function (refresh-decisions.ts, completions.ts).
import {
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  metricMeter,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { REFRESHED_EVENT } from '../common/features';
import { FC_ACCOUNT_ID, FC_FEATURE, FC_REFRESH_STATUS } from '../common/search-attributes';
import { refreshActivities, stripeActivitiesWithin } from './activity-proxies';
import { Backoff } from './backoff';
import { completes, type Completion } from './completions';
import {
  refreshCompletedSignal,
  refreshRequestedSignal,
  refreshStatusQuery,
  type RefreshError,
  type RefreshHash,
  type RefreshPhase,
  type RefreshResult,
  type RefreshWorkflowInput,
} from './refresh-definitions';
import { historyIsLong } from './history-limit';
import { legacyRefreshWorkflow } from './legacy/refresh-v1';
import { RefreshRun } from './refresh-run';
import {
  DEADLINE_ERROR,
  answersJoinedRequest,
  availabilityOf,
  endingOfAccountState,
  endingOfActivityFailure,
  recentSuccess,
  type Ending,
} from './refresh-decisions';

/** Marks runs started with this lifecycle; histories recorded without it replay workflows/legacy/refresh-v1.ts. */
const LIFECYCLE_V2 = 'refresh-lifecycle-v2';
/**
 * Marks runs that first read, in a local activity, whether the receiver already stored an event's balance (no trip
 * through the Stripe queue, no workflow task after it); histories recorded without it go straight to storeBalance.
 */
const EVENT_BALANCE_REPORTED_LOCALLY = 'event-balance-reported-locally';

const DEFAULTS = {
  maxAttempts: 1,
  completionTimeoutSeconds: 3600,
  refreshDeadlineSeconds: 24 * 3600,
  pollIntervalSeconds: { initial: 15, max: 300 },
  stateMaxAgeSeconds: 60,
  /** Re-check gap when Stripe did not initiate, or reports no next availability after a completed refresh. */
  recheckSeconds: { initial: 5, max: 300 },
};

const unixNow = (): number => Math.floor(Date.now() / 1000);

export async function refreshWorkflow(input: RefreshWorkflowInput): Promise<RefreshResult> {
  if (!patched(LIFECYCLE_V2)) return legacyRefreshWorkflow(input);
  const run = new RefreshRun(input, { nowMs: Date.now(), runId: workflowInfo().runId, defaultDeadlineSeconds: DEFAULTS.refreshDeadlineSeconds });
  // Handlers first, before any await, so a signal delivered with signal-with-start is never missed.
  setHandler(refreshCompletedSignal, (signal) => run.receive(signal));
  setHandler(refreshRequestedSignal, (requested) => run.queueRequest(requested));
  setHandler(refreshStatusQuery, () => run.status);
  const refresh = new RefreshSteps(input, run);
  try {
    return input.trigger === 'webhook' ? await refresh.settleDelivered() : await refresh.lifecycle();
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => refresh.record('cancelled'));
      throw err;
    }
    const ending = endingOfActivityFailure(err);
    if (ending) return refresh.finish(ending);
    throw err;
  }
}

/** The lifecycle's steps over one request's state; each Stripe call and write is an activity. */
class RefreshSteps {
  private readonly db = refreshActivities().db;
  private readonly recheck: Backoff;
  // Exported through the worker runtime's Prometheus endpoint; the SDK drops emissions made while replaying.
  private readonly refreshesTotal = metricMeter.createCounter('fc_refreshes_total', 'refreshes', 'refresh workflows by feature and outcome');
  private readonly pendingSeconds = metricMeter.createHistogram('fc_refresh_pending_seconds', 'int', 's', 'time a refresh spent pending at Stripe');

  constructor(private readonly input: RefreshWorkflowInput, private readonly run: RefreshRun) {
    this.recheck = new Backoff(DEFAULTS.recheckSeconds.initial, DEFAULTS.recheckSeconds.max, input.carried?.recheckSeconds);
  }

  /**
   * A run started by a webhook (signal-with-start) settles the completion it carries (and any newer one signalled
   * meanwhile) and initiates nothing.
   */
  async settleDelivered(): Promise<RefreshResult> {
    await condition(() => this.run.hasCompletions(), '1 minute', { summary: `waiting for the ${REFRESHED_EVENT[this.input.feature]} that started this run` });
    const delivered = this.run.newestUnknownCompletion();
    if (!delivered) return this.finish({ outcome: 'timed_out', error: { code: 'no_event', message: 'started for a webhook that never arrived' } });
    this.run.status.attempts += 1;
    this.run.track(delivered.refresh);
    return this.finish((await this.settleWithNewer(delivered)) ?? { outcome: 'failed', error: this.run.status.error ?? refreshFailed(this.input.feature) });
  }

  /**
   * Settles a completion, then every completion of a newer refresh signalled meanwhile (newest last), so a signal
   * this run received is never left unhandled when it ends. Undefined: re-initiate (a failure under maxAttempts).
   */
  private async settleWithNewer(completion: Completion): Promise<Ending | undefined> {
    const { run } = this;
    let ending = await this.settle(completion);
    for (let newer = run.newestUnknownCompletion(); ending && newer; newer = run.newestUnknownCompletion()) {
      run.status.attempts += 1;
      run.track(newer.refresh);
      ending = (await this.settle(newer)) ?? { outcome: 'failed', error: run.status.error ?? refreshFailed(this.input.feature) };
    }
    return ending;
  }

  async lifecycle(): Promise<RefreshResult> {
    const { run, input } = this;
    for (let firstLook = input.carried === undefined; ; firstLook = false) {
      if (run.remainingMs(Date.now()) <= 0) return this.finish({ outcome: 'timed_out', error: DEADLINE_ERROR });
      if (historyIsLong()) {
        return continueAsNew<typeof refreshWorkflow>({ ...input, carried: run.carryOver(this.recheck.currentSeconds) });
      }

      // 1. Check: the account's state, and what Stripe last did for this feature.
      await this.record('checking');
      const maxAgeSeconds = this.stateMaxAge(firstLook);
      // The Refresh API call's answer tells what a retrieve would: a stored snapshot that leads to it is enough.
      const state = await this.stripe().getRefreshState({ accountId: input.accountId, feature: input.feature, maxAgeSeconds, storedIfInitiable: maxAgeSeconds > 0 });
      const cannot = endingOfAccountState(state, input.accountId, input.feature);
      if (cannot) return this.finish(cannot);
      run.known = state.refresh ?? run.known;
      const recent = recentSuccess(state.refresh, input.syncIfRefreshedWithinSeconds, Date.now());
      if (recent) {
        // Stripe's own daily refresh already ran: take what it brought, initiate nothing.
        run.status.attempts += 1;
        run.track(recent);
        const settled = await this.settleWithNewer({ refresh: recent, eventId: null });
        if (settled) return this.finish(settled);
        continue;
      }

      let tracked: RefreshHash | null = state.refresh;
      let askStripeFirst = false;
      if (state.refresh?.status !== 'pending') {
        // 2. Wait for availability: a refresh attempted while next_refresh_available_at is null or ahead is not initiated.
        const availability = availabilityOf(state.refresh, { nowMs: Date.now(), recheckSeconds: this.recheck.currentSeconds, deferAfterSeconds: input.deferIfUnavailableForSeconds });
        if (availability.kind === 'defer') return this.finish({ outcome: 'deferred', error: availability.error });
        if (availability.kind === 'wait') {
          const adopted = await this.waitForAvailability(availability.untilMs, availability.next, availability.summary);
          if (availability.next === null) this.recheck.take();
          if (adopted) {
            // A refresh that completed meanwhile (Stripe's daily one, or another caller's) answers this request.
            run.status.attempts += 1;
            run.track(adopted.refresh);
            const settled = await this.settleWithNewer(adopted);
            if (settled) return this.finish(settled);
            continue;
          }
          if (availability.next === null || run.remainingMs(Date.now()) <= 0) continue;
        }
        // 3. Initiate, with an idempotency key derived from the run: an activity retry replays Stripe's answer.
        await this.record('initiating');
        const receivedBefore = run.receivedCount();
        const attempt = await this.stripe().initiateRefresh({
          accountId: input.accountId,
          feature: input.feature,
          idempotencyKey: `${workflowInfo().workflowId}/${workflowInfo().runId}/initiate-${run.initiationRequests++}`,
          before: state.refresh,
        });
        if (attempt.state.lifecycle !== 'active') {
          return this.finish({ outcome: 'account_inactive', error: { code: 'financial_connections_account_inactive', message: 'Stripe refused: the account is inactive' } });
        }
        // Refused for another reason the account shows (a permission not granted, the account gone).
        const refused = endingOfAccountState(attempt.state, input.accountId, input.feature);
        if (refused) return this.finish(refused);
        if (!attempt.initiated) {
          // Stripe answered 200 without starting a refresh (pending elsewhere, cooldown): learn why and go again.
          run.known = attempt.state.refresh ?? run.known;
          const gap = this.recheck.take();
          await sleep(gap * 1000, { summary: `Stripe did not start the refresh; re-checking in ${gap}s` });
          continue;
        }
        run.status.initiations += 1;
        run.initiatedAt = unixNow();
        tracked = attempt.state.refresh;
        askStripeFirst = run.keepCompletionsOfInitiated(receivedBefore, tracked);
      }
      if (!tracked) continue;

      // 4. Await completion: the webhook's signal, or a poll when it is late.
      run.status.attempts += 1;
      run.track(tracked);
      const completion = await this.awaitCompletion(tracked, askStripeFirst);
      if (completion === 'timed_out') {
        const pastDeadline = run.remainingMs(Date.now()) <= 0;
        return this.finish({ outcome: 'timed_out', error: pastDeadline ? DEADLINE_ERROR : { code: 'completion_timeout', message: 'the refresh stayed pending past the completion timeout' } });
      }
      if (completion === 'inactive') return this.finish({ outcome: 'account_inactive', error: { code: 'financial_connections_account_inactive', message: 'the account became inactive while the refresh was pending' } });

      // 5. Settle: store what it brought, or record the failure.
      run.track(completion.refresh);
      const settled = await this.settleWithNewer(completion);
      if (settled) return this.finish(settled);
      this.recheck.reset();
    }
  }

  /** Sleeps until the refresh may be initiated, waking early when a completion of an unknown refresh arrives. */
  private async waitForAvailability(untilMs: number, next: number | null, summary: string): Promise<Completion | undefined> {
    const { run } = this;
    const waitMs = Math.max(0, Math.min(untilMs, run.deadlineAt) - Date.now());
    run.status.nextRefreshAvailableAt = next;
    run.status.waitingUntil = Math.ceil((Date.now() + waitMs) / 1000);
    await this.record('waiting_for_availability', summary);
    const arrived = await condition(() => run.newestUnknownCompletion() !== undefined, waitMs, { summary });
    run.status.waitingUntil = null;
    return arrived ? run.newestUnknownCompletion() : undefined;
  }

  /**
   * Waits for the tracked refresh to leave `pending`: the webhook's signal normally ends the wait, and the account
   * is polled with backoff meanwhile so a lost webhook never hangs the refresh.
   */
  private async awaitCompletion(tracked: RefreshHash, askStripeFirst: boolean): Promise<Completion | 'inactive' | 'timed_out'> {
    const { run, input } = this;
    await this.record('pending', `waiting for ${REFRESHED_EVENT[input.feature]}`);
    const pendingSince = Date.now();
    const deadline = Math.min(Date.now() + (input.completionTimeoutSeconds ?? DEFAULTS.completionTimeoutSeconds) * 1000, run.deadlineAt);
    const poll = input.pollIntervalSeconds ?? DEFAULTS.pollIntervalSeconds;
    const pollGap = new Backoff(poll.initial, poll.max);
    try {
      for (let pollNow = askStripeFirst; ; pollNow = false) {
        const signalled = run.completionOf(tracked);
        if (signalled) return signalled;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return 'timed_out';
        if (!pollNow) {
          const gapMs = Math.min(pollGap.take() * 1000, remaining);
          const arrived = await condition(() => run.completionOf(tracked) !== undefined, gapMs, { summary: `waiting for ${REFRESHED_EVENT[input.feature]}` });
          if (arrived) continue;
        }
        const state = await this.stripe().getRefreshState({ accountId: input.accountId, feature: input.feature, maxAgeSeconds: 0 });
        if (state.lifecycle !== 'active') return 'inactive';
        if (state.refresh && completes(state.refresh, tracked)) {
          return { refresh: state.refresh, eventId: null, error: state.error, ...(state.ownershipId !== undefined ? { ownershipId: state.ownershipId } : {}) };
        }
      }
    } finally {
      this.pendingSeconds.record(Math.round((Date.now() - pendingSince) / 1000), { feature: input.feature });
    }
  }

  /**
   * Stores a succeeded refresh, or records a failed one, unless a newer refresh is already settled (a late event):
   * then nothing is written and the ending is `ignored`. Returns undefined when a failed refresh should be
   * re-initiated (maxAttempts).
   */
  private async settle(completion: Completion): Promise<Ending | undefined> {
    const { run, input } = this;
    // Known from here on, whatever happens while settling: only completions of newer refreshes are left to handle.
    run.known = completion.refresh;
    if (completion.refresh.status === 'succeeded') {
      await this.record('storing');
      const verdict = await this.store(completion);
      if (verdict === 'missing_refresh_id') return { outcome: 'failed', error: { code: 'missing_refresh_id', message: 'the transaction refresh completed without an id' } };
      if (verdict === 'stale') return { outcome: 'ignored', error: staleError(input.feature) };
      if (verdict === 'duplicate') {
        if (input.trigger === 'webhook') return { outcome: 'ignored', error: { code: 'already_stored', message: `this ${input.feature} refresh was already stored by another run` } };
        run.status.stored = { alreadyStored: true };
      }
      run.status.error = null;
      return { outcome: 'succeeded' };
    }
    const error = completion.error ?? refreshFailed(input.feature);
    const verdict = await this.db.settleFailedRefresh({ accountId: input.accountId, feature: input.feature, refresh: completion.refresh, error });
    if (verdict === 'stale') return { outcome: 'ignored', error: staleError(input.feature) };
    run.status.error = error;
    if (run.status.attempts < (input.maxAttempts ?? DEFAULTS.maxAttempts)) {
      await this.record('checking');
      return undefined;
    }
    return { outcome: 'failed', error };
  }

  /** Stores what a succeeded refresh produced; only counts and ids come back into history. */
  private async store(completion: Completion): Promise<'applied' | 'stale' | 'duplicate' | 'missing_refresh_id'> {
    const { run, input } = this;
    const { accountId, feature } = input;
    const { stripe, stripeLong } = stripeActivitiesWithin(run.remainingMs(Date.now()));
    if (feature === 'balance') {
      const { eventId } = completion;
      const stored =
        (eventId && patched(EVENT_BALANCE_REPORTED_LOCALLY) ? await this.db.reportEventBalance({ eventId }) : null) ??
        (await stripe.storeBalance({ accountId, eventId, refresh: completion.refresh }));
      if (stored.verdict === 'applied') run.status.stored = { balanceCurrencies: stored.currencies, balanceAsOf: stored.asOf };
      return stored.verdict;
    }
    if (feature === 'ownership') {
      const polled = completion.ownershipId !== undefined ? { ownershipId: completion.ownershipId } : {};
      const stored = await stripeLong.storeOwnership({ accountId, eventId: completion.eventId, refresh: completion.refresh, ...polled });
      if (stored.verdict === 'applied') run.status.stored = { ownershipId: stored.ownershipId, owners: stored.owners };
      return stored.verdict;
    }
    const throughRefreshId = completion.refresh.id ?? run.status.transactionRefreshId;
    if (!throughRefreshId) return 'missing_refresh_id';
    const synced = await stripeLong.syncTransactions({ accountId, throughRefreshId, refreshAttemptedAt: completion.refresh.lastAttemptedAt });
    if (synced.verdict === 'applied') {
      run.status.stored = { transactionsAdded: synced.added, transactionsUpdated: synced.updated, transactionsUnchanged: synced.unchanged };
    }
    return synced.verdict;
  }

  /** Ends the request: the outcome is recorded in fc_refreshes and counted in metrics. */
  async finish(ending: Ending): Promise<RefreshResult> {
    const { status } = this.run;
    this.refreshesTotal.add(1, { feature: this.input.feature, outcome: ending.outcome, trigger: this.input.trigger });
    status.completedAt = unixNow();
    status.waitingUntil = null;
    status.error = ending.error ?? null;
    await this.record(ending.outcome);
    if (this.run.newestUnknownCompletion()) {
      // A newer refresh's event arrived while this ending was recorded: a fresh run settles it, never dropped.
      await continueAsNew<typeof refreshWorkflow>({ ...this.input, trigger: 'webhook', carried: { ...this.run.carryOver(this.recheck.currentSeconds), firstRunId: undefined } });
    }
    const request = this.run.queuedRequest;
    // A client request joined this run and its ending does not answer it: the request runs now, with its own row.
    if (request && !answersJoinedRequest(ending.outcome)) await continueAsNew<typeof refreshWorkflow>(request);
    return { ...status, outcome: ending.outcome };
  }

  /** Enters a phase: search attributes and details for the Web UI, and the fc_refreshes row other services read. */
  async record(phase: RefreshPhase, details?: string): Promise<void> {
    const { run, input } = this;
    const { status } = run;
    status.phase = phase;
    upsertSearchAttributes([
      { key: FC_ACCOUNT_ID, value: input.accountId },
      { key: FC_FEATURE, value: input.feature },
      { key: FC_REFRESH_STATUS, value: phase },
    ]);
    setCurrentDetails(`**${input.feature} refresh of ${input.accountId}**: ${phase}${details ? ` (${details})` : ''}${status.error ? `; ${status.error.code}: ${status.error.message}` : ''}`);
    await this.db.recordRefresh({
      workflowId: workflowInfo().workflowId,
      // One row per request, also when it continued as new.
      runId: run.firstRunId,
      accountId: input.accountId,
      feature: input.feature,
      trigger: input.trigger,
      status: phase,
      attempts: status.attempts,
      initiatedAt: run.initiatedAt,
      lastAttemptedAt: status.lastAttemptedAt,
      nextRefreshAvailableAt: status.nextRefreshAvailableAt,
      completedAt: status.completedAt,
      transactionRefreshId: status.transactionRefreshId,
      error: status.error,
      result: Object.keys(status.stored).length > 0 ? { ...status.stored } : null,
    });
  }

  private stripe() {
    return stripeActivitiesWithin(this.run.remainingMs(Date.now())).stripe;
  }

  /** Only the first look may use the stored snapshot; every later one follows something that changed. */
  private stateMaxAge(firstLook: boolean): number {
    // A sync of the last refresh (syncIfRefreshedWithinSeconds) needs Stripe's newest: a snapshot a minute old may
    // name an earlier refresh than the one already synced.
    return firstLook && this.input.syncIfRefreshedWithinSeconds === undefined ? (this.input.stateMaxAgeSeconds ?? DEFAULTS.stateMaxAgeSeconds) : 0;
  }
}

const refreshFailed = (feature: string): RefreshError => ({ code: 'refresh_failed', message: `Stripe reported the ${feature} refresh failed` });
const staleError = (feature: string): RefreshError => ({ code: 'stale_refresh', message: `a newer ${feature} refresh is already settled; this older one was not stored` });
