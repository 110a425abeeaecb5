import { createHash } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { DailySyncInput, DailySyncResult } from '../workflows/sync-definitions';

type DailySyncWorkflow = (input?: DailySyncInput) => Promise<DailySyncResult>;

export const DAILY_SYNC_SCHEDULE_ID = 'fc-refresh/daily-transactions-sync';

export interface DailySyncScheduleConfig {
  taskQueue: string;
  /** Local time of day the sync starts, in `timezone`. */
  hour: number;
  minute: number;
  /** IANA time zone, e.g. America/New_York (default UTC). */
  timezone: string;
  /** Random delay added to each start, spreading load across deployments (default 10 minutes). */
  jitterSeconds: number;
  /** Missed runs (server down) within this window are still taken when it comes back (default 6 hours). */
  catchupWindowSeconds: number;
  sync: Pick<DailySyncInput, 'pageSize' | 'concurrency' | 'recentRefreshSeconds'>;
}

export const DEFAULT_DAILY_SYNC: Omit<DailySyncScheduleConfig, 'taskQueue'> = {
  hour: 6,
  minute: 0,
  timezone: 'UTC',
  jitterSeconds: 600,
  catchupWindowSeconds: 6 * 3600,
  sync: {},
};

export type ApplyOutcome = 'created' | 'updated' | 'unchanged';

function scheduleParts(config: DailySyncScheduleConfig) {
  // The config's hash travels in the action's memo: applying the same config again is a no-op.
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
  const action: ScheduleOptionsStartWorkflowAction<DailySyncWorkflow> = {
    type: 'startWorkflow',
    workflowType: 'dailySyncWorkflow',
    workflowId: 'fc-refresh/daily-sync',
    taskQueue: config.taskQueue,
    args: [config.sync],
    memo: { fcRefreshConfigHash: configHash },
    staticSummary: 'daily transaction sync of every active account',
  };
  return {
    configHash,
    spec: {
      calendars: [{ hour: config.hour, minute: config.minute }],
      timezone: config.timezone,
      jitter: config.jitterSeconds * 1000,
    },
    action,
    // SKIP: a run still going when the next is due is never joined by a second one.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: config.catchupWindowSeconds * 1000 },
  };
}

/** Creates the daily sync schedule, or updates it when its config changed; keeps its paused state. */
export async function applyDailySyncSchedule(client: Client, config: DailySyncScheduleConfig): Promise<ApplyOutcome> {
  const { configHash, spec, action, policies } = scheduleParts(config);
  const handle = client.schedule.getHandle(DAILY_SYNC_SCHEDULE_ID);
  try {
    const current = await handle.describe();
    const currentHash = current.action.type === 'startWorkflow' ? current.action.memo?.fcRefreshConfigHash : undefined;
    if (currentHash === configHash) return 'unchanged';
    await handle.update((previous) => ({ ...previous, spec, action, policies }));
    return 'updated';
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  await client.schedule.create({ scheduleId: DAILY_SYNC_SCHEDULE_ID, spec, action, policies });
  return 'created';
}

export async function pauseDailySync(client: Client, note = 'paused with fc-refresh schedules pause'): Promise<void> {
  await client.schedule.getHandle(DAILY_SYNC_SCHEDULE_ID).pause(note);
}

export async function unpauseDailySync(client: Client, note = 'unpaused with fc-refresh schedules unpause'): Promise<void> {
  await client.schedule.getHandle(DAILY_SYNC_SCHEDULE_ID).unpause(note);
}

/** Starts a run now; SKIP keeps it from overlapping one already running. */
export async function triggerDailySync(client: Client): Promise<void> {
  await client.schedule.getHandle(DAILY_SYNC_SCHEDULE_ID).trigger(ScheduleOverlapPolicy.SKIP);
}

export async function describeDailySync(client: Client) {
  return client.schedule.getHandle(DAILY_SYNC_SCHEDULE_ID).describe();
}
