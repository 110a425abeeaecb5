import { Command } from 'commander';
import { dailySyncScheduleId, pauseDailySync, unpauseDailySync } from '../schedules';
import { EXIT_OK } from './exit-codes';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

const ACTIONS = {
  pause: { run: pauseDailySync, description: 'stop the daily sync from starting (a running sync finishes); `trigger` still works', done: 'paused' },
  unpause: { run: unpauseDailySync, description: 'let the daily sync start on its schedule again', done: 'unpaused' },
} as const;

/** `pause` and `unpause`: the note is kept on the schedule and shown by `schedules show`. */
export function schedulesPauseCommand(name: keyof typeof ACTIONS): Command {
  const action = ACTIONS[name];
  return new Command(name)
    .description(action.description)
    .option('--note <text>', 'why, shown by `schedules show`')
    .action(
      runAction(async (flags: { note?: string }) =>
        withTemporalClient(async (client, config) => {
          await action.run(client, config.TEMPORAL_TASK_QUEUE, ...(flags.note === undefined ? [] : [flags.note]));
          process.stdout.write(`schedule ${dailySyncScheduleId(config.TEMPORAL_TASK_QUEUE)}: ${action.done}\n`);
          return EXIT_OK;
        }),
      ),
    );
}
