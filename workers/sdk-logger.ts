import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import { logger } from '../common/node/logger';

/** The SDK says this for every worker without workflows; the Stripe-activities worker has none by design. */
const NO_WORKFLOWS_WARNING = 'No workflows registered, not polling for workflow tasks';

const LOG_METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const satisfies Record<LogLevel, string>;

/**
 * The Temporal SDK's logs (worker state, bundler, activity and workflow loggers) through the project logger, so they
 * read like every other line: JSON in production, readable at a terminal.
 */
export function sdkLogger(level: LogLevel, options: { activityOnlyTaskQueue: string }): DefaultLogger {
  return new DefaultLogger(level, ({ level: entryLevel, message, meta }: LogEntry) => {
    if (message === NO_WORKFLOWS_WARNING && meta?.taskQueue === options.activityOnlyTaskQueue) return;
    logger[LOG_METHOD[entryLevel]]({ ...meta }, message);
  });
}
