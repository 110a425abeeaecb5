import { Command } from 'commander';
import { dailySyncScheduleId, triggerDailySync } from '../schedules';
import { EXIT_OK } from './exit-codes';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

export function schedulesTriggerCommand(): Command {
  return new Command('trigger')
    .description('start a daily sync now, even while paused (skipped if one is already running)')
    .action(
      runAction(async () =>
        withTemporalClient(async (client, config) => {
          await triggerDailySync(client, config.TEMPORAL_TASK_QUEUE);
          process.stdout.write(`schedule ${dailySyncScheduleId(config.TEMPORAL_TASK_QUEUE)}: triggered; see \`fc-refresh schedules show\` for the run\n`);
          return EXIT_OK;
        }),
      ),
    );
}
