import { createHash } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { DAILY_SYNC_WORKFLOW_TYPE, type DailySyncWorkflow } from '../common/workflow-types';
import type { DailySyncInput } from '../workflows/sync-definitions';
import { ScheduleMissingError } from './errors';
import { toUnavailableError } from './temporal-errors';

/**
 * One schedule per task queue: deployments sharing a namespace (or test files sharing a dev server) each get their
 * own, and the workflow ids it starts (its id plus the start time) never collide.
 */
export function dailySyncScheduleId(taskQueue: string): string {
  return `fc-refresh/daily-transactions-sync/${taskQueue}`;
}

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

/** `kept`: the schedule existed and `keepExisting` left its settings as they were. */
export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'kept';

/** What `schedules show` prints: the applied config (from the action's memo) and the schedule's live state. */
export interface DailySyncScheduleReport {
  scheduleId: string;
  /** The config last applied; null when the schedule was made by something other than applyDailySyncSchedule. */
  config: DailySyncScheduleConfig | null;
  paused: boolean;
  note: string | null;
  nextRunTimes: Date[];
  recentRuns: { workflowId: string; scheduledAt: Date; takenAt: Date }[];
  runningWorkflowIds: string[];
}

/** Fixed key order, so the same settings hash the same whichever caller (CLI, worker start) built the object. */
function canonicalConfig(config: DailySyncScheduleConfig): DailySyncScheduleConfig {
  const { pageSize, concurrency, recentRefreshSeconds } = config.sync;
  return {
    taskQueue: config.taskQueue,
    hour: config.hour,
    minute: config.minute,
    timezone: config.timezone,
    jitterSeconds: config.jitterSeconds,
    catchupWindowSeconds: config.catchupWindowSeconds,
    sync: {
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(recentRefreshSeconds === undefined ? {} : { recentRefreshSeconds }),
    },
  };
}

function scheduleParts(input: DailySyncScheduleConfig) {
  const config = canonicalConfig(input);
  // The config's hash travels in the action's memo: applying the same config again is a no-op.
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
  const action: ScheduleOptionsStartWorkflowAction<DailySyncWorkflow> = {
    type: 'startWorkflow',
    workflowType: DAILY_SYNC_WORKFLOW_TYPE,
    workflowId: `fc-refresh/daily-sync/${config.taskQueue}`,
    taskQueue: config.taskQueue,
    args: [config.sync],
    memo: { fcRefreshConfigHash: configHash, fcRefreshConfig: config },
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

/**
 * Creates the daily sync schedule, or updates it when its config changed; keeps its paused state. With
 * `keepExisting`, an existing schedule is left as it is (a worker start must not undo `schedules apply` settings).
 */
export async function applyDailySyncSchedule(client: Client, config: DailySyncScheduleConfig, options: { keepExisting?: boolean } = {}): Promise<ApplyOutcome> {
  const scheduleId = dailySyncScheduleId(config.taskQueue);
  const { configHash, spec, action, policies } = scheduleParts(config);
  const handle = client.schedule.getHandle(scheduleId);
  try {
    const current = await handle.describe();
    const currentHash = current.action.type === 'startWorkflow' ? current.action.memo?.fcRefreshConfigHash : undefined;
    if (currentHash === configHash) return 'unchanged';
    if (options.keepExisting) return 'kept';
    await handle.update((previous) => ({ ...previous, spec, action, policies }));
    return 'updated';
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw toScheduleError(err, scheduleId);
  }
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
  } catch (err) {
    throw toScheduleError(err, scheduleId);
  }
  return 'created';
}

export async function pauseDailySync(client: Client, taskQueue: string, note = 'paused with fc-refresh schedules pause'): Promise<void> {
  await onSchedule(taskQueue, (scheduleId) => client.schedule.getHandle(scheduleId).pause(note));
}

export async function unpauseDailySync(client: Client, taskQueue: string, note = 'unpaused with fc-refresh schedules unpause'): Promise<void> {
  await onSchedule(taskQueue, (scheduleId) => client.schedule.getHandle(scheduleId).unpause(note));
}

/**
 * Starts a run now, paused or not. SKIP keeps it from overlapping one already running. The run starts
 * asynchronously: find it by visibility (`WorkflowType = 'dailySyncWorkflow'`) or in `describeDailySync`.
 */
export async function triggerDailySync(client: Client, taskQueue: string): Promise<void> {
  await onSchedule(taskQueue, (scheduleId) => client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.SKIP));
}

export async function describeDailySync(client: Client, taskQueue: string): Promise<DailySyncScheduleReport> {
  return onSchedule(taskQueue, async (scheduleId) => {
    const described = await client.schedule.getHandle(scheduleId).describe();
    const memo = described.action.type === 'startWorkflow' ? described.action.memo : undefined;
    return {
      scheduleId,
      config: (memo?.fcRefreshConfig as DailySyncScheduleConfig | undefined) ?? null,
      paused: described.state.paused,
      note: described.state.note ?? null,
      nextRunTimes: described.info.nextActionTimes,
      recentRuns: described.info.recentActions.map((run) => ({ workflowId: run.action.workflow.workflowId, scheduledAt: run.scheduledAt, takenAt: run.takenAt })),
      runningWorkflowIds: described.info.runningActions.map((run) => run.workflow.workflowId),
    };
  });
}

async function onSchedule<T>(taskQueue: string, act: (scheduleId: string) => Promise<T>): Promise<T> {
  const scheduleId = dailySyncScheduleId(taskQueue);
  try {
    return await act(scheduleId);
  } catch (err) {
    throw toScheduleError(err, scheduleId);
  }
}

function toScheduleError(err: unknown, scheduleId: string): unknown {
  if (err instanceof ScheduleNotFoundError) return new ScheduleMissingError(scheduleId);
  return toUnavailableError(err);
}
