import { Command } from 'commander';
import type { SyncTotals } from '../../workflows/sync-definitions';
import { describeDailySync, type DailySyncScheduleReport } from '../schedules';
import { EXIT_OK } from './exit-codes';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

export function schedulesShowCommand(): Command {
  return new Command('show')
    .description("show the daily sync schedule: its settings, paused state, next run, running and recent runs' totals")
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
    const sync = config.sync;
    lines.push(`  page size ${sync.pageSize ?? 'default'}, concurrency ${sync.concurrency ?? 'default'}`);
    lines.push(
      `  defer window ${seconds(sync.deferIfUnavailableForSeconds)}, completion timeout ${seconds(sync.completionTimeoutSeconds)}, ` +
        `child timeout ${seconds(sync.childTimeoutSeconds)}, run deadline ${seconds(sync.runDeadlineSeconds)}`,
    );
  }
  if (report.nextRunTimes[0]) lines.push(`  next run ${report.nextRunTimes[0].toISOString()}`);
  for (const run of report.running) lines.push(`  running ${run.workflowId}${run.progress ? `: ${totals(run.progress)}, ${run.progress.inFlight} in flight` : ''}`);
  for (const run of report.recentRuns) {
    const outcome = run.result ? `: ${run.result.status ?? 'completed'}, ${totals(run.result)}` : '';
    lines.push(`  ran ${run.workflowId} at ${run.takenAt.toISOString()}${outcome}`);
  }
  return lines.join('\n');
}

const seconds = (value: number | undefined): string => (value === undefined ? 'default' : `${value}s`);

function totals(t: SyncTotals): string {
  return `${t.accountsSeen} seen, ${t.accountsSynced} synced, ${t.accountsDeferred} deferred, ${t.accountsSkipped} skipped, ${t.accountsFailed} failed`;
}
