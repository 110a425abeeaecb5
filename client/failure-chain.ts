import { ApplicationFailure } from '@temporalio/common';

// Temporal wraps an activity's or child's failure in the failures that carried it (WorkflowFailedError →
// ActivityFailure → ApplicationFailure …): these read what the client needs from anywhere in that cause chain.

/** The message of the deepest cause: the one that says what actually went wrong. */
export function innermostMessage(err: Error): string {
  let innermost = err;
  while (innermost.cause instanceof Error) innermost = innermost.cause;
  return innermost.message;
}

/** The first ApplicationFailure of `type` in the cause chain. */
export function failureOfType(err: Error, type: string): ApplicationFailure | undefined {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type === type) return cause;
  }
  return undefined;
}

/** A non-retryable ApplicationFailure anywhere in the chain (a Stripe rejection, a missing check row) fails again. */
export function isNonRetryable(err: Error): boolean {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.nonRetryable) return true;
  }
  return false;
}
