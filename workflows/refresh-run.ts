// The state of one refresh request across its runs: what the Web UI's `status` query shows, the completions the
// webhook receiver signalled, and the request's deadline. Pure: no Temporal calls, so the rules are unit-testable.
import type { Feature } from '../common/features';
import { findCompletion, newestCompletionSince, type Completion } from './completions';
import type {
  RefreshCarryOver,
  RefreshCompletedSignal,
  RefreshHash,
  RefreshStatus,
  RefreshWorkflowInput,
} from './refresh-definitions';

/** Event ids remembered across continue-as-new: enough to drop Stripe's re-deliveries of recent events. */
const SEEN_EVENT_IDS_CARRIED = 100;

export class RefreshRun {
  readonly status: RefreshStatus;
  readonly deadlineAt: number;
  readonly firstRunId: string;
  /** The newest refresh state this request has seen. */
  known: RefreshHash | null;
  initiationRequests: number;
  initiatedAt: number | null = null;
  /** A client request that joined this run while it was started for another reason (see refreshRequestedSignal). */
  queuedRequest: RefreshWorkflowInput | undefined;
  private readonly completions: RefreshCompletedSignal[];
  private readonly seenEventIds: Set<string>;

  constructor(input: RefreshWorkflowInput, context: { nowMs: number; runId: string; defaultDeadlineSeconds: number }) {
    const carried = input.carried;
    const startedAt = carried?.startedAt ?? Math.floor(context.nowMs / 1000);
    this.deadlineAt = carried?.deadlineAt ?? context.nowMs + (input.refreshDeadlineSeconds ?? context.defaultDeadlineSeconds) * 1000;
    this.firstRunId = carried?.firstRunId ?? context.runId;
    this.known = carried?.known ?? null;
    this.initiationRequests = carried?.initiationRequests ?? 0;
    this.completions = [...(carried?.completions ?? [])];
    this.seenEventIds = new Set(carried?.seenEventIds ?? []);
    this.queuedRequest = carried?.queuedRequest;
    this.status = {
      accountId: input.accountId,
      feature: input.feature,
      trigger: input.trigger,
      phase: 'checking',
      initiations: carried?.initiations ?? 0,
      attempts: carried?.attempts ?? 0,
      startedAt,
      lastAttemptedAt: null,
      nextRefreshAvailableAt: null,
      waitingUntil: null,
      completedAt: null,
      transactionRefreshId: null,
      stored: {},
      error: null,
    };
  }

  get feature(): Feature {
    return this.status.feature;
  }

  /** A `refreshed_*` event's signal. Stripe delivers at least once: a re-sent event is dropped here too. */
  receive(signal: RefreshCompletedSignal): void {
    if (this.seenEventIds.has(signal.eventId)) return;
    this.seenEventIds.add(signal.eventId);
    if (signal.refresh.status !== 'pending') this.completions.push(signal);
  }

  hasCompletions(): boolean {
    return this.completions.length > 0;
  }

  /**
   * A client request's signal. A run answers requests of its own kind (the one that started it among them); a
   * run started for another reason keeps the first other request (later ones join that) for when it ends.
   */
  queueRequest(requested: RefreshWorkflowInput): void {
    if (requested.trigger === this.status.trigger || this.queuedRequest) return;
    this.queuedRequest = { ...requested, carried: undefined };
  }

  /** The newest received completion of `tracked` or of a later refresh. */
  completionOf(tracked: RefreshHash): Completion | undefined {
    return findCompletion(this.completions, tracked);
  }

  /** The newest completion of a refresh attempted after what this request knows (any, when it knows nothing). */
  newestUnknownCompletion(): Completion | undefined {
    return newestCompletionSince(this.completions, this.known);
  }

  /** How many completions were received so far: a mark to tell those received during a call from earlier ones. */
  receivedCount(): number {
    return this.completions.length;
  }

  /**
   * After a successful Refresh API call: completions received before the call are about earlier refreshes (Stripe's
   * one-second timestamps could not tell a same-second predecessor's completion from ours), so only those received
   * during the call that name the tracked transaction refresh are kept. Returns whether Stripe must be asked at
   * once: something arrived during the call that may be ours but cannot be told apart.
   */
  keepCompletionsOfInitiated(receivedBefore: number, tracked: RefreshHash | null): boolean {
    const duringCall = this.completions.slice(receivedBefore);
    this.completions.length = 0;
    const ours = duringCall.filter((signal) => tracked?.id != null && signal.refresh.id === tracked.id);
    this.completions.push(...ours);
    return duringCall.length > 0 && ours.length === 0;
  }

  /** Follows the refresh Stripe reports: its times show in the status query and the fc_refreshes row. */
  track(refresh: RefreshHash): void {
    this.status.lastAttemptedAt = refresh.lastAttemptedAt;
    this.status.nextRefreshAvailableAt = refresh.nextRefreshAvailableAt;
    if (refresh.id) this.status.transactionRefreshId = refresh.id;
  }

  remainingMs(nowMs: number): number {
    return this.deadlineAt - nowMs;
  }

  carryOver(recheckSeconds: number): RefreshCarryOver {
    return {
      startedAt: this.status.startedAt,
      deadlineAt: this.deadlineAt,
      firstRunId: this.firstRunId,
      initiations: this.status.initiations,
      initiationRequests: this.initiationRequests,
      attempts: this.status.attempts,
      known: this.known,
      recheckSeconds,
      completions: [...this.completions],
      seenEventIds: [...this.seenEventIds].slice(-SEEN_EVENT_IDS_CARRIED),
      ...(this.queuedRequest ? { queuedRequest: this.queuedRequest } : {}),
    };
  }
}
