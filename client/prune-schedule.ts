import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { PRUNE_RETAINED_DATA_WORKFLOW_TYPE } from '../common/workflow-types';
import { toUnavailableError } from './temporal-errors';

/** One prune schedule per task queue, like the daily sync's. */
export function pruneScheduleId(taskQueue: string): string {
  return `fc-refresh/prune/${taskQueue}`;
}

/**
 * Creates the daily retention job (04:00 UTC) when it does not exist; an existing schedule is kept as it is
 * (paused, or moved to another hour in the Web UI). The ages pruned by are the worker's (FC_*_RETENTION_DAYS).
 */
export async function ensurePruneSchedule(client: Client, taskQueue: string): Promise<'created' | 'kept'> {
  const scheduleId = pruneScheduleId(taskQueue);
  try {
    await client.schedule.getHandle(scheduleId).describe();
    return 'kept';
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw toUnavailableError(err);
  }
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 4, minute: 0 }], timezone: 'UTC', jitter: 10 * 60 * 1000 },
      action: {
        type: 'startWorkflow',
        workflowType: PRUNE_RETAINED_DATA_WORKFLOW_TYPE,
        workflowId: `fc-refresh/prune-run/${taskQueue}`,
        taskQueue,
        args: [],
        staticSummary: 'daily retention: change feed, superseded owners, event payloads, expected owner values',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 6 * 3600 * 1000 },
    });
  } catch (err) {
    // Another worker of the fleet created it meanwhile.
    if (err instanceof ScheduleAlreadyRunning) return 'kept';
    throw toUnavailableError(err);
  }
  return 'created';
}
