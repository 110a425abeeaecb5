import { Command } from 'commander';
import { applyDailySyncSchedule, dailySyncScheduleId, DEFAULT_DAILY_SYNC } from '../schedules';
import { EXIT_OK } from './exit-codes';
import { integerIn, timeZone } from './option-parsers';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

interface ApplyFlags {
  hour: number;
  minute: number;
  timezone: string;
  jitter: number;
  catchupWindow: number;
  pageSize?: number;
  concurrency?: number;
  deferWindow?: number;
  completionTimeout?: number;
  childTimeout?: number;
  runDeadline?: number;
  json?: boolean;
}

export function schedulesApplyCommand(): Command {
  return new Command('apply')
    .description('create the daily sync schedule, or update it if these settings differ from the applied ones (idempotent)')
    .option('--hour <0-23>', 'hour of day the sync starts', integerIn(0, 23), DEFAULT_DAILY_SYNC.hour)
    .option('--minute <0-59>', 'minute of the hour', integerIn(0, 59), DEFAULT_DAILY_SYNC.minute)
    .option('--timezone <zone>', 'IANA time zone of --hour and --minute', timeZone, DEFAULT_DAILY_SYNC.timezone)
    .option('--jitter <seconds>', 'random delay added to each start', integerIn(0, 86_400), DEFAULT_DAILY_SYNC.jitterSeconds)
    .option('--catchup-window <seconds>', 'runs missed while Temporal was down are still taken within this window', integerIn(0, 7 * 86_400), DEFAULT_DAILY_SYNC.catchupWindowSeconds)
    .option('--page-size <n>', 'accounts read from Postgres at a time (default 100)', integerIn(1, 1_000))
    .option('--concurrency <n>', 'account refreshes in flight across the run (default 10; Stripe calls stay under STRIPE_MAX_REQUESTS_PER_SECOND)', integerIn(1, 500))
    .option('--defer-window <seconds>', "an account whose next refresh is further away (Stripe's cooldown) is deferred to the next run (default 600)", integerIn(0, 86_400))
    .option('--completion-timeout <seconds>', 'how long one refresh may stay pending at Stripe (default 3600)', integerIn(1, 86_400))
    .option('--child-timeout <seconds>', "hard limit on one account's refresh workflow (default: defer window + completion timeout + 1800)", integerIn(1, 86_400))
    .option('--run-deadline <seconds>', 'the run starts no account after this long (default 72000)', integerIn(60, 86_400))
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (flags: ApplyFlags) =>
        withTemporalClient(async (client, config) => {
          const taskQueue = config.TEMPORAL_TASK_QUEUE;
          const outcome = await applyDailySyncSchedule(client, {
            taskQueue,
            hour: flags.hour,
            minute: flags.minute,
            timezone: flags.timezone,
            jitterSeconds: flags.jitter,
            catchupWindowSeconds: flags.catchupWindow,
            sync: {
              ...(flags.pageSize === undefined ? {} : { pageSize: flags.pageSize }),
              ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
              ...(flags.deferWindow === undefined ? {} : { deferIfUnavailableForSeconds: flags.deferWindow }),
              ...(flags.completionTimeout === undefined ? {} : { completionTimeoutSeconds: flags.completionTimeout }),
              ...(flags.childTimeout === undefined ? {} : { childTimeoutSeconds: flags.childTimeout }),
              ...(flags.runDeadline === undefined ? {} : { runDeadlineSeconds: flags.runDeadline }),
            },
          });
          const scheduleId = dailySyncScheduleId(taskQueue);
          process.stdout.write(`${flags.json ? JSON.stringify({ scheduleId, outcome }) : `schedule ${scheduleId}: ${outcome}`}\n`);
          return EXIT_OK;
        }),
      ),
    );
}
