import type { Feature } from '../common/features';
import type { AccountLifecycle } from '../common/stripe-account';
import type { RefreshResult } from '../workflows/refresh-definitions';

// One error hierarchy for every caller of client/: branch on the class, read what to act on from its fields.

export class FcRefreshError extends Error {
  /** Whether the same call may succeed later without changing its input. */
  readonly retryable: boolean;

  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable;
  }
}

/** The request itself is wrong (account id, feature, option); retrying it unchanged cannot succeed. */
export class InvalidInputError extends FcRefreshError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message, { retryable: false });
  }
}

/** The Temporal server could not be reached or did not answer in time. */
export class TemporalUnavailableError extends FcRefreshError {
  constructor(
    readonly address: string | undefined,
    cause: unknown,
  ) {
    super(`cannot reach Temporal${address ? ` at ${address}` : ''}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      retryable: true,
      cause,
    });
  }
}

/** No refresh workflow has ever run for this account and feature (or its history has been deleted). */
export class RefreshNotFoundError extends FcRefreshError {
  constructor(
    readonly accountId: string,
    readonly feature: Feature | undefined,
  ) {
    super(`no refresh found for ${feature ? `${feature} of ` : ''}${accountId}`, { retryable: false });
  }
}

/**
 * A refresh ended without fresh data. `result` is the workflow's own account of it (outcome, error hash,
 * attempts) when the workflow completed; null when the execution itself was cancelled, terminated or timed out.
 */
export class RefreshFailedError extends FcRefreshError {
  constructor(
    readonly accountId: string,
    readonly feature: Feature,
    readonly result: RefreshResult | null,
    reason: string,
    cause?: unknown,
  ) {
    super(`refresh of ${feature} for ${accountId} did not succeed: ${reason}`, {
      retryable: result === null || result.outcome === 'failed' || result.outcome === 'timed_out',
      cause,
    });
  }
}

/** No account workflow for this id: the account was never registered (`fc-refresh accounts add`). */
export class AccountNotRegisteredError extends FcRefreshError {
  constructor(readonly accountId: string) {
    super(`${accountId} is not registered; register it first with \`fc-refresh accounts add ${accountId}\``, { retryable: false });
  }
}

/**
 * The account is inactive or disconnected, and Stripe refuses subscriptions on such accounts: the request is
 * wrong for the account as it is now (a reactivation, announced by Stripe, changes that).
 */
export class AccountInactiveError extends InvalidInputError {
  constructor(
    readonly accountId: string,
    readonly lifecycle: Exclude<AccountLifecycle, 'active'>,
    action: string,
  ) {
    super('accountId', `cannot ${action} ${accountId}: the account is ${lifecycle}, and Stripe refuses subscriptions on inactive or disconnected accounts`);
  }
}

/** No daily sync schedule exists for this task queue yet (`fc-refresh schedules apply` creates it). */
export class ScheduleMissingError extends FcRefreshError {
  constructor(readonly scheduleId: string) {
    super(`no schedule ${scheduleId}; create it with \`fc-refresh schedules apply\``, { retryable: false });
  }
}

/** The change feed has no consumer of this name (`fc-refresh consumers add` registers one). */
export class ConsumerNotRegisteredError extends InvalidInputError {
  constructor(readonly consumer: string) {
    super('consumer', `no change feed consumer ${consumer}; register it with \`fc-refresh consumers add ${consumer}\``);
  }
}

/**
 * The cursor cannot be continued from: `expired` (the changes after it were pruned, the consumer fell too far
 * behind) or `unknown` (it is ahead of this feed: issued by another database, or one restored from a backup).
 * Resync: read the current state from the fc_* tables, then sync from `resyncCursor` (the feed's head when this
 * was thrown); changes committed while you read are delivered again, so apply them idempotently.
 */
export class CursorExpiredError extends FcRefreshError {
  constructor(
    readonly consumer: string,
    readonly reason: 'expired' | 'unknown',
    readonly resyncCursor: string,
  ) {
    super(
      `cursor of consumer ${consumer} is ${reason === 'expired' ? 'expired: the changes after it were pruned' : 'unknown to this change feed'}; ` +
        `resync: reload the current state from the fc_* tables, then sync with cursor ${resyncCursor} ` +
        `(or \`fc-refresh consumers reset ${consumer}\`), applying repeated changes idempotently`,
      { retryable: false },
    );
  }
}
