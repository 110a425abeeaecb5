import { Command } from 'commander';
import { schedulesApplyCommand } from './schedules-apply-command';
import { schedulesPauseCommand } from './schedules-pause-command';
import { schedulesShowCommand } from './schedules-show-command';
import { schedulesTriggerCommand } from './schedules-trigger-command';

export function schedulesCommand(): Command {
  return new Command('schedules')
    .description("the daily transaction sync schedule of TEMPORAL_TASK_QUEUE's deployment")
    .addCommand(schedulesApplyCommand())
    .addCommand(schedulesPauseCommand('pause'))
    .addCommand(schedulesPauseCommand('unpause'))
    .addCommand(schedulesTriggerCommand())
    .addCommand(schedulesShowCommand());
}
