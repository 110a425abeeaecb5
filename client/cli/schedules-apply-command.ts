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
    .option('--page-size <n>', 'accounts per batch workflow (default 100)', integerIn(1, 1_000))
    .option('--concurrency <n>', 'account syncs in flight per batch (default 10; Stripe calls stay under STRIPE_MAX_REQUESTS_PER_SECOND)', integerIn(1, 500))
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
            },
          });
          const scheduleId = dailySyncScheduleId(taskQueue);
          process.stdout.write(`${flags.json ? JSON.stringify({ scheduleId, outcome }) : `schedule ${scheduleId}: ${outcome}`}\n`);
          return EXIT_OK;
        }),
      ),
    );
}
