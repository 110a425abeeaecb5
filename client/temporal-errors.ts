import { isGrpcDeadlineError, isGrpcServiceError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import type { Feature } from '../common/features';
import { FcRefreshError, RefreshNotFoundError, TemporalUnavailableError } from './errors';

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

/** Maps SDK errors from a call about one account's refresh to FcRefreshError subclasses; others pass through. */
export function toFcRefreshError(err: unknown, target: { accountId: string; feature?: Feature }): unknown {
  if (err instanceof FcRefreshError) return err;
  if (err instanceof WorkflowNotFoundError) return new RefreshNotFoundError(target.accountId, target.feature);
  if (isTemporalUnreachable(err)) return new TemporalUnavailableError(undefined, err);
  return err;
}
