import { FcRefreshError } from './errors';
import { innermostMessage, isNonRetryable } from './failure-chain';

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
