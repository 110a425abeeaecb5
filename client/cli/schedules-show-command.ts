import { Command } from 'commander';
import { describeDailySync, type DailySyncScheduleReport } from '../schedules';
import { EXIT_OK } from './exit-codes';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

export function schedulesShowCommand(): Command {
  return new Command('show')
    .description('show the daily sync schedule: its settings, paused state, next and recent runs')
    .option('--json', 'print JSON instead of text')
    .action(
      runAction(async (flags: { json?: boolean }) =>
        withTemporalClient(async (client, config) => {
          const report = await describeDailySync(client, config.TEMPORAL_TASK_QUEUE);
          process.stdout.write(`${flags.json ? JSON.stringify(report) : describeSchedule(report)}\n`);
          return EXIT_OK;
        }),
      ),
    );
}

function describeSchedule(report: DailySyncScheduleReport): string {
  const lines = [`schedule ${report.scheduleId}: ${report.paused ? 'paused' : 'active'}${report.note ? ` (${report.note})` : ''}`];
  const config = report.config;
  if (config) {
    const time = `${String(config.hour).padStart(2, '0')}:${String(config.minute).padStart(2, '0')} ${config.timezone}`;
    lines.push(`  daily at ${time}, jitter ${config.jitterSeconds}s, catch-up window ${config.catchupWindowSeconds}s`);
    lines.push(`  page size ${config.sync.pageSize ?? 'default'}, concurrency ${config.sync.concurrency ?? 'default'}`);
  }
  if (report.nextRunTimes[0]) lines.push(`  next run ${report.nextRunTimes[0].toISOString()}`);
  for (const id of report.runningWorkflowIds) lines.push(`  running ${id}`);
  for (const run of report.recentRuns.slice(-5)) lines.push(`  ran ${run.workflowId} at ${run.takenAt.toISOString()}`);
  return lines.join('\n');
}
