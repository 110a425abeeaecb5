import { isGrpcDeadlineError, isGrpcServiceError, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { FailureType } from '../common/failure-types';
import type { Feature } from '../common/features';
import { AccountInactiveError, AccountNotRegisteredError, FcRefreshError, RefreshNotFoundError, TemporalUnavailableError } from './errors';
import { failureOfType, innermostMessage } from './failure-chain';

// The one place that turns Temporal SDK errors into the client's error hierarchy.

/** gRPC UNAVAILABLE: @grpc/grpc-js is not a direct dependency, so its status enum is not imported. */
const GRPC_UNAVAILABLE = 14;

/** True when the server could not be reached or did not answer in time: the call may succeed later. */
function isTemporalUnreachable(err: unknown): boolean {
  if (isGrpcDeadlineError(err)) return true;
  if (isGrpcServiceError(err)) return err.code === GRPC_UNAVAILABLE;
  if (err instanceof ServiceError) return isTemporalUnreachable(err.cause);
  return false;
}

/** A server that cannot be reached becomes TemporalUnavailableError; every other error passes through. */
export function toUnavailableError(err: unknown): unknown {
  return isTemporalUnreachable(err) ? new TemporalUnavailableError(undefined, err) : err;
}

/** Maps SDK errors from a call about one account's refresh to FcRefreshError subclasses; others pass through. */
export function toFcRefreshError(err: unknown, target: { accountId: string; feature?: Feature }): unknown {
  if (err instanceof FcRefreshError) return err;
  if (err instanceof WorkflowNotFoundError) return new RefreshNotFoundError(target.accountId, target.feature);
  if (isTemporalUnreachable(err)) return new TemporalUnavailableError(undefined, err);
  return err;
}

/**
 * Maps SDK errors from a call to one account's workflow. An update refused because the account is not active
 * (the workflow's validator, or Stripe through its activity: failure type `FailureType.AccountInactive`) becomes
 * AccountInactiveError; any other refused update a non-retryable FcRefreshError carrying the workflow's reason.
 */
export function toAccountError(err: unknown, accountId: string, action: string): unknown {
  if (err instanceof FcRefreshError) return err;
  if (err instanceof WorkflowNotFoundError) return new AccountNotRegisteredError(accountId);
  if (err instanceof WorkflowUpdateFailedError) {
    const inactive = failureOfType(err, FailureType.AccountInactive);
    if (inactive) return new AccountInactiveError(accountId, inactive.details?.[0] === 'disconnected' ? 'disconnected' : 'inactive', action);
    return new FcRefreshError(`cannot ${action} ${accountId}: ${innermostMessage(err)}`, { retryable: false, cause: err });
  }
  if (isTemporalUnreachable(err)) return new TemporalUnavailableError(undefined, err);
  return err;
}
