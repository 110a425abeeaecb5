import { ApplicationFailure } from '@temporalio/common';
import { FcRefreshError } from './errors';

/**
 * A check's workflow ended without an answer (an activity failed for good, or the execution was terminated or
 * timed out). Business answers, including "unknown" and "manual entry", are results, never this error.
 */
export class CheckFailedError extends FcRefreshError {
  constructor(
    readonly check: 'balance' | 'ownership',
    readonly checkId: string,
    readonly workflowId: string,
    cause: Error,
  ) {
    super(`${check} check ${checkId} did not complete: ${innermostMessage(cause)}`, { retryable: !isNonRetryable(cause), cause });
  }
}

function innermostMessage(err: Error): string {
  let innermost = err;
  while (innermost.cause instanceof Error) innermost = innermost.cause;
  return innermost.message;
}

/** A non-retryable ApplicationFailure anywhere in the chain (a Stripe rejection, a missing check row) fails again. */
function isNonRetryable(err: Error): boolean {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.nonRetryable) return true;
  }
  return false;
}
