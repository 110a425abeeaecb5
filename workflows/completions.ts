// Matching webhook completions to the refresh a run is tracking. Pure functions of the signals received,
// so the workflow stays deterministic and these rules are unit-testable.
import type { RefreshCompletedSignal, RefreshError, RefreshHash } from './refresh-definitions';

/** A refresh that left `pending`, from a webhook (with its event id) or from a poll (eventId null). */
export interface Completion {
  refresh: RefreshHash;
  eventId: string | null;
  error?: RefreshError | null;
  /** Ownership found by a poll: the ownership id the polled account pointed at (an id, no owner data). */
  ownershipId?: string | null;
}

/**
 * Whether `candidate` reports the end of `tracked` (or of a later refresh, which is at least as fresh).
 * An older refresh's event is stale: its `last_attempted_at` is earlier, or its transaction refresh id differs
 * while not being newer.
 */
export function completes(candidate: RefreshHash, tracked: RefreshHash): boolean {
  if (candidate.status === 'pending') return false;
  if (tracked.id !== null && candidate.id === tracked.id) return true;
  if (tracked.id !== null && candidate.id !== null) return candidate.lastAttemptedAt > tracked.lastAttemptedAt;
  return candidate.lastAttemptedAt >= tracked.lastAttemptedAt;
}

const toCompletion = (signal: RefreshCompletedSignal): Completion => ({
  refresh: signal.refresh,
  eventId: signal.eventId || null,
  error: signal.error ?? null,
});

/** The newest received completion of `tracked` (or of a later refresh). */
export function findCompletion(signals: RefreshCompletedSignal[], tracked: RefreshHash): Completion | undefined {
  const matching = signals.filter((signal) => completes(signal.refresh, tracked));
  const newest = matching.sort((a, b) => b.refresh.lastAttemptedAt - a.refresh.lastAttemptedAt || b.eventCreated - a.eventCreated)[0];
  return newest ? toCompletion(newest) : undefined;
}

/** The newest completion of a refresh attempted after `since` (any completion when nothing is known yet). */
export function newestCompletionSince(signals: RefreshCompletedSignal[], since: RefreshHash | null): Completion | undefined {
  const newer = since
    ? signals.filter((signal) => signal.refresh.lastAttemptedAt > since.lastAttemptedAt || (since.id !== null && signal.refresh.id !== null && signal.refresh.id !== since.id && signal.refresh.lastAttemptedAt >= since.lastAttemptedAt))
    : signals;
  const newest = [...newer].sort((a, b) => b.refresh.lastAttemptedAt - a.refresh.lastAttemptedAt || b.eventCreated - a.eventCreated)[0];
  return newest ? toCompletion(newest) : undefined;
}
