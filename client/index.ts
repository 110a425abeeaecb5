// The only door other services use to refresh Financial Connections data: start, wait, inspect, cancel refreshes;
// register accounts and manage their transaction subscriptions; apply and operate the daily sync schedule; read
// the change feed (Postgres) and manage its consumers.
export { connectTemporalClient } from './connect';
export { startRefresh, type StartRefreshOptions, type StartedRefresh } from './start-refresh';
export { refreshAndWait, waitForRefresh } from './wait-for-refresh';
export { getRefreshStatus, type RefreshExecutionState, type RefreshStatusReport } from './refresh-status';
export { cancelRefresh, type CancelledRefresh } from './cancel-refresh';
export {
  registerAccount,
  getAccountState,
  listAccounts,
  subscribeTransactions,
  unsubscribeTransactions,
  type AccountExecutionState,
  type AccountListing,
  type AccountReport,
  type RegisteredAccount,
} from './accounts';
export {
  applyDailySyncSchedule,
  describeDailySync,
  pauseDailySync,
  triggerDailySync,
  unpauseDailySync,
  dailySyncScheduleId,
  DEFAULT_DAILY_SYNC,
  type ApplyOutcome,
  type DailySyncScheduleConfig,
  type DailySyncScheduleReport,
} from './schedules';
export {
  AccountInactiveError,
  AccountNotRegisteredError,
  ConsumerNotRegisteredError,
  CursorExpiredError,
  FcRefreshError,
  InvalidInputError,
  RefreshFailedError,
  RefreshNotFoundError,
  ScheduleMissingError,
  TemporalUnavailableError,
} from './errors';
export type { RefreshResult, RefreshStatus, RefreshOutcome, RefreshPhase } from '../workflows/refresh-definitions';
export type { Feature } from '../common/features';
export type { AccountState } from '../workflows/account-definitions';
export type { AccountLifecycle } from '../common/stripe-account';
export type { DailySyncResult } from '../workflows/sync-definitions';
export * from './checks';
export { ChangeFeed } from './change-feed';
export type * from './change-types';
export { registerConsumer, listConsumers, removeConsumer, resetConsumer, type ConsumerRegistration, type ConsumerReport } from './consumers';
export { ensurePruneSchedule, pruneScheduleId } from './prune-schedule';
export {
  verifyNotificationSignature,
  NotificationSignatureError,
  NOTIFICATION_SIGNATURE_HEADER,
  type SignatureProblem,
} from '../common/node/notification-signature';
export type { ChangesAvailableNotification } from '../activities/notify-consumer';
export type { PruneCounts } from '../db/queries/retention';
