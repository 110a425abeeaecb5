// The only door other services use to refresh Financial Connections data: start, wait, inspect, cancel.
export { connectTemporalClient } from './connect';
export { startRefresh, type StartRefreshOptions, type StartedRefresh } from './start-refresh';
export { refreshAndWait, waitForRefresh } from './wait-for-refresh';
export { getRefreshStatus, type RefreshExecutionState, type RefreshStatusReport } from './refresh-status';
export { cancelRefresh, type CancelledRefresh } from './cancel-refresh';
export { FcRefreshError, InvalidInputError, RefreshFailedError, RefreshNotFoundError, TemporalUnavailableError } from './errors';
export type { RefreshResult, RefreshStatus, RefreshOutcome, RefreshPhase } from '../workflows/definitions';
export type { Feature } from '../common/features';
